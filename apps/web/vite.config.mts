import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The web UI: static files in dist/apps/web that the API serves at / (apps/api/src/web-ui).
// `npx nx serve web` runs Vite's dev server and sends /api to an API on port 3000.
const root = fileURLToPath(new URL('.', import.meta.url));
const THEME = '#0b4f8a';

/** Paths of the API itself: never answered from a cache, never the app's index.html. */
const API_PATHS = [/^\/api(?:\/|$)/, /^\/health(?:\/|$)/, /^\/metrics(?:\/|$)/];

export default defineConfig({
  root,
  base: '/',
  plugins: [
    react(),
    // Installable app with a service worker that precaches the app shell only (decision 0040):
    // a reload without a connection shows the app; API answers (personal data) never enter a cache.
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false, // registered in src/main.tsx with workbox-window
      // The files of public/ are precached by globPatterns below (listing them again would list them twice).
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Wohnintegrationshilfe Köln',
        short_name: 'Wohnhilfe',
        description: 'Fallführung der Wohnintegrationshilfe Köln',
        lang: 'de',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: THEME,
        background_color: '#ffffff',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // Vite's build manifest is for the API (static.ts), not for the browser.
        globIgnores: ['.vite/**'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: API_PATHS,
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        // Stated, not left to the default: every API request goes to the network, whatever it answers.
        runtimeCaching: [{ urlPattern: ({ url }) => url.pathname.startsWith('/api/'), handler: 'NetworkOnly' }],
      },
    }),
  ],
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
