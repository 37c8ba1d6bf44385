import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev`: Vite serves the app with hot reload and proxies signaling to the
// Parley server (started by scripts/dev.mjs on PARLEY_PORT, default 3000).
const serverPort = process.env.PARLEY_PORT ?? '3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/ws': { target: `ws://localhost:${serverPort}`, ws: true },
      '/api': { target: `http://localhost:${serverPort}` },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
