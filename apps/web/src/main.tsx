import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { request } from './api/client';
import { App } from './App';
import { AuthProvider } from './auth/session';
import { t } from './i18n';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
document.documentElement.lang = t.lang;

// How to sign in is the API's to say (GET /api/ui-config); without it the UI cannot start.
request('get', '/api/ui-config').then(
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
