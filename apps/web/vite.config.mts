import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web UI: static files in dist/apps/web that the API serves at / (apps/api/src/web-ui).
// `npx nx serve web` runs Vite's dev server and sends /api to an API on port 3000.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // The one lib the web imports: constants shared with the domain (apps/web/tsconfig.json names it too).
  resolve: { alias: { '@wih/vocabulary': fileURLToPath(new URL('../../libs/vocabulary/src/index.ts', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    // No source maps: they would publish the sources next to the app (the API would not serve them either).
    sourcemap: false,
    target: 'es2022',
  },
  server: { port: 4200, proxy: { '/api': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
});
