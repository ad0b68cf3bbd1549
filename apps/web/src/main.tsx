import { StrictMode } from 'react';
import { Workbox } from 'workbox-window';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { request } from './api/client';
import type { UiConfig } from './api/schemas';
import { App } from './App';
import { AuthProvider } from './auth/session';
import { t } from './i18n';
import './styles.css';
import './outbox/outbox.css';
import './report.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
document.documentElement.lang = t.lang;

// The service worker keeps the app shell for a reload without a connection; it caches no API answer
// (vite.config.mts, decision 0040). Only the built app has one.
if (import.meta.env.PROD && 'serviceWorker' in navigator) new Workbox('/sw.js').register().catch(() => undefined);

// How to sign in is the API's to say (GET /api/ui-config); without it the UI cannot start. The last
// answer is kept for this tab (it holds no personal data), so a reload without a connection starts.
const UI_CONFIG_KEY = 'wih.ui-config';
const uiConfig = request('get', '/api/ui-config').then(
  (config) => {
    sessionStorage.setItem(UI_CONFIG_KEY, JSON.stringify(config));
    return config;
  },
  (error: unknown) => {
    const kept = sessionStorage.getItem(UI_CONFIG_KEY);
    if (kept) return JSON.parse(kept) as UiConfig;
    throw error;
  },
);
uiConfig.then(
  (config) =>
    root.render(
      <StrictMode>
        <BrowserRouter>
          <AuthProvider config={config}>
            <App />
          </AuthProvider>
        </BrowserRouter>
      </StrictMode>,
    ),
  () =>
    root.render(
      <main>
        <h1>{t.app.title}</h1>
        <p role="alert">{t.problems.unavailable}</p>
      </main>,
    ),
);
