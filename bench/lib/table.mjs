/** Plain-text table for the terminal. */
export function formatTable({ title, columns, rows }) {
  const cells = [columns, ...rows].map((r) => r.map((c) => String(c)));
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [
    title,
    line(cells[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}
