import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/**
 * Feature folders meet only through each other's index.ts (their public surface); the
 * shared layers (signaling/, cluster/, store/, ice/, …) may be imported freely, and
 * app.ts, the composition root, may import anything.
 */
const FEATURES = ['accounts', 'board', 'calls', 'chat', 'contacts', 'dm', 'media', 'meet', 'rooms'];

const SRC = fileURLToPath(new URL('.', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function violations(feature: string): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(join(SRC, feature))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? '';
      if (!spec.startsWith('.')) {
        continue;
      }
      // Where the import lands, relative to src/: `<folder>/<path inside it>`.
      const [other = '', ...rest] = relative(SRC, resolve(dirname(file), spec)).split(sep);
      if (other !== feature && FEATURES.includes(other) && rest.join('/') !== 'index.js') {
        const line = text.slice(0, match.index).split('\n').length;
        found.push(
          `${relative(SRC, file)}:${line} imports '${spec}' (only ${other}/index.js may be imported)`,
        );
      }
    }
  }
  return found;
}

it('features import other features only through their index.ts', () => {
  expect(FEATURES.flatMap(violations)).toEqual([]);
});
