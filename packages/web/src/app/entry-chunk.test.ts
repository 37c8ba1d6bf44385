import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The entry chunk is what a direct link runs before its join goes out (main.tsx): the
 * SDK and the early join. Everything main.tsx imports statically, and everything those
 * import, lands in it. One stray import once pulled React and both message catalogues
 * into it (140 KB instead of 68), which the set-up bench felt; this walks the same graph
 * from the sources and fails on such an import.
 */
const src = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Static imports and re-exports of a module (not `import type`, not `import()`). */
function staticImports(code: string): string[] {
  const specs: string[] = [];
  const fromRe = /^\s*(?:import|export)\s+(?!type\b)[^;'"]*?\sfrom\s+['"]([^'"]+)['"]/gm;
  const bareRe = /^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const re of [fromRe, bareRe]) {
    for (const m of code.matchAll(re)) {
      specs.push(m[1] as string);
    }
  }
  return specs;
}

function resolveLocal(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** Every source file and package the entry reaches through static imports. */
function entryGraph(): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [join(src, 'main.tsx')];
  while (queue.length) {
    const file = queue.pop() as string;
    if (files.has(file)) {
      continue;
    }
    files.add(file);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      if (spec.endsWith('.css')) {
        continue;
      }
      const target = resolveLocal(file, spec);
      expect(target, `${relative(src, file)} imports ${spec}`).not.toBeNull();
      queue.push(target as string);
    }
  }
  return { files: [...files].map((f) => relative(src, f)).sort(), packages: [...packages].sort() };
}

describe('the entry chunk (what a direct link runs before it joins)', () => {
  it('holds no React, no message catalogue and no component', () => {
    const { files, packages } = entryGraph();
    // The walk itself works: it reaches the early join through main.tsx.
    expect(files).toContain('features/room/early-join.ts');
    expect(packages).toContain('@parley/client');
    expect(packages.filter((p) => p === 'react' || p.startsWith('react-dom'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('i18n/'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.tsx') && f !== 'main.tsx')).toEqual([]);
  });
});
