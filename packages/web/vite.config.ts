import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * main.tsx loads the app with `import()` so that a direct link's join starts after the
 * small entry chunk has run, not after all of React and every page. Vite fetches such a
 * chunk only when the import runs (after the entry has downloaded and run): a
 * modulepreload in index.html for each chunk the entry imports dynamically starts those
 * downloads with the entry's instead, one round trip sooner.
 */
function preloadEntryImports(): Plugin {
  return {
    name: 'parley-preload-entry-imports',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const entry = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry);
        if (!entry || entry.type !== 'chunk') {
          return [];
        }
        return entry.dynamicImports.flatMap((file) => {
          const chunk = ctx.bundle?.[file];
          // Its stylesheets too (as preloads: a stylesheet in head would hold scripts back).
          const css = chunk?.type === 'chunk' ? [...(chunk.viteMetadata?.importedCss ?? [])] : [];
          return [
            {
              tag: 'link',
              attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
              injectTo: 'head' as const,
            },
            ...css.map((href) => ({
              tag: 'link',
              attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `/${href}` },
              injectTo: 'head' as const,
            })),
          ];
        });
      },
    },
  };
}

// `npm run dev`: Vite serves the app with hot reload and proxies signaling to the
// Parley server (started by scripts/dev.mjs on PARLEY_PORT, default 3000).
const serverPort = process.env.PARLEY_PORT ?? '3000';

export default defineConfig({
  plugins: [react(), preloadEntryImports()],
  server: {
    port: 5173,
    proxy: {
      '/ws': { target: `ws://localhost:${serverPort}`, ws: true },
      '/api': { target: `http://localhost:${serverPort}` },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
