/**
 * Hand-written SVG charts for docs/BENCHMARKS.md (no chart library): a line chart and a
 * grouped bar chart with optional whiskers and reference lines. Output is static SVG
 * that GitHub and any browser render as an image.
 */

export const COLORS = {
  parley: '#2563eb',
  bare: '#6b7280',
  peerjs: '#d97706',
  socketio: '#059669',
  mesh: '#6b7280',
};

const W = 720;
const H = 360;
const M = { top: 40, right: 190, bottom: 50, left: 64 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

function esc(s) {
  return String(s).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
  );
}

function fmt(v) {
  if (v >= 1000) {
    return `${Math.round(v / 100) / 10}k`.replace('.0k', 'k');
  }
  return String(Math.round(v * 100) / 100);
}

/** A bar's own value: whole numbers from 100 up, two decimals below. */
function label(v) {
  return v >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100);
}

/** About five round tick values from 0 to max. */
function ticks(max) {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = 0; v <= max + 1e-9; v += step) {
    out.push(v);
  }
  return out;
}

function frame(title, yLabel, xLabel, body) {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="#ffffff"/>
<text x="${M.left}" y="22" font-size="15" font-weight="600" fill="#111827">${esc(title)}</text>
<text transform="translate(16 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle" fill="#374151">${esc(yLabel)}</text>
<text x="${M.left + PW / 2}" y="${H - 10}" text-anchor="middle" fill="#374151">${esc(xLabel)}</text>
${body}
</svg>
`;
}

function yAxis(yMax, y) {
  return ticks(yMax)
    .map(
      (v) =>
        `<line x1="${M.left}" x2="${M.left + PW}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>` +
        `<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#6b7280">${fmt(v)}</text>`,
    )
    .join('\n');
}

function legend(items) {
  return items
    .map(
      (it, i) =>
        `<rect x="${M.left + PW + 16}" y="${M.top + i * 20}" width="12" height="12" fill="${it.color}"/>` +
        `<text x="${M.left + PW + 34}" y="${M.top + i * 20 + 10}" fill="#111827">${esc(it.name)}</text>`,
    )
    .join('\n');
}

function hLine(y, label) {
  return (
    `<line x1="${M.left}" x2="${M.left + PW}" y1="${y}" y2="${y}" stroke="#dc2626" stroke-dasharray="6 4"/>` +
    `<text x="${M.left + PW - 4}" y="${y - 5}" text-anchor="end" fill="#dc2626">${esc(label)}</text>`
  );
}

/**
 * series: [{ name, color, points: [[x, y, hollow?], …] }]; y values above yMax are drawn
 * at the top edge with an upward arrow (the step failed); hollow points are shown but
 * not trusted (e.g. the load generator fell behind).
 */
export function lineChart({ title, xLabel, yLabel, series, yMax, limit }) {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const xMax = Math.max(...xs, 1);
  const x = (v) => M.left + (v / xMax) * PW;
  const y = (v) => M.top + PH - (Math.min(v, yMax) / yMax) * PH;
  const xt = ticks(xMax)
    .map(
      (v) =>
        `<text x="${x(v)}" y="${M.top + PH + 18}" text-anchor="middle" fill="#6b7280">${fmt(v)}</text>`,
    )
    .join('\n');
  const lines = series
    .map((s) => {
      const pts = s.points.filter((p) => Number.isFinite(p[1]) || p[1] === Infinity);
      const d = pts
        .map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)} ${y(p[1]).toFixed(1)}`)
        .join(' ');
      const dots = pts
        .map((p) =>
          p[2]
            ? `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="4" fill="#ffffff" stroke="${s.color}" stroke-width="2"/>`
            : p[1] > yMax
              ? `<path d="M${x(p[0]) - 5} ${y(yMax) + 6} L${x(p[0])} ${y(yMax) - 2} L${x(p[0]) + 5} ${y(yMax) + 6}Z" fill="${s.color}"/>`
              : `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="3.5" fill="${s.color}"/>`,
        )
        .join('');
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.name.startsWith('Parley') ? 3 : 2}"/>${dots}`;
    })
    .join('\n');
  const body = [
    yAxis(yMax, y),
    `<line x1="${M.left}" x2="${M.left + PW}" y1="${M.top + PH}" y2="${M.top + PH}" stroke="#9ca3af"/>`,
    xt,
    limit ? hLine(y(limit.value), limit.label) : '',
    lines,
    legend(series),
  ].join('\n');
  return frame(title, yLabel, xLabel, body);
}

/**
 * groups: [{ label, bars: [{ name, color, value, lo?, hi? }] }]; lo/hi draw a whisker.
 */
export function barChart({ title, xLabel, yLabel, groups, limit }) {
  const values = groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.hi ?? 0]));
  const yMax = Math.max(...values, limit?.value ?? 0) * 1.12 || 1;
  const y = (v) => M.top + PH - (v / yMax) * PH;
  const gw = PW / groups.length;
  const names = [];
  const colors = new Map();
  const parts = [yAxis(yMax, y)];
  groups.forEach((g, gi) => {
    const bw = Math.min(56, (gw * 0.8) / g.bars.length);
    const x0 = M.left + gi * gw + (gw - bw * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      if (!colors.has(b.name)) {
        colors.set(b.name, b.color);
        names.push(b.name);
      }
      const bx = x0 + bi * bw;
      if (!Number.isFinite(b.value)) {
        parts.push(
          `<text x="${bx + bw / 2}" y="${y(0) - 6}" text-anchor="middle" fill="#6b7280">n/a</text>`,
        );
        return;
      }
      parts.push(
        `<rect x="${(bx + 2).toFixed(1)}" y="${y(b.value).toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${(y(0) - y(b.value)).toFixed(1)}" fill="${b.color}"/>`,
        `<text x="${(bx + bw / 2).toFixed(1)}" y="${(y(Math.max(b.value, b.hi ?? 0)) - 4).toFixed(1)}" text-anchor="middle" fill="#111827" font-size="11">${label(b.value)}</text>`,
      );
      if (b.lo !== undefined && b.hi !== undefined) {
        const cx = (bx + bw / 2).toFixed(1);
        parts.push(
          `<line x1="${cx}" x2="${cx}" y1="${y(b.lo)}" y2="${y(b.hi)}" stroke="#111827"/>` +
            `<line x1="${+cx - 5}" x2="${+cx + 5}" y1="${y(b.lo)}" y2="${y(b.lo)}" stroke="#111827"/>` +
            `<line x1="${+cx - 5}" x2="${+cx + 5}" y1="${y(b.hi)}" y2="${y(b.hi)}" stroke="#111827"/>`,
        );
      }
    });
    parts.push(
      `<text x="${M.left + gi * gw + gw / 2}" y="${M.top + PH + 18}" text-anchor="middle" fill="#374151">${esc(g.label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${M.left}" x2="${M.left + PW}" y1="${y(0)}" y2="${y(0)}" stroke="#9ca3af"/>`,
  );
  if (limit) {
    parts.push(hLine(y(limit.value), limit.label));
  }
  parts.push(legend(names.map((name) => ({ name, color: colors.get(name) }))));
  return frame(title, yLabel, xLabel, parts.join('\n'));
}
