import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run build` puts the web UI: dist/apps/web next to dist/apps/api. */
export const DEFAULT_WEB_DIR = resolve(__dirname, '../../../web');

/** Paths that belong to the API, never to the single-page app. */
const API_PATHS = /^\/(?:api|health|metrics)(?:\/|$)/;

/** A built UI has Vite's manifest; the source folder (tests running from TypeScript) has not. */
export const isBuiltUi = (dir: string) => existsSync(join(dir, '.vite', 'manifest.json')) && existsSync(join(dir, 'index.html'));

/**
 * The UI's own files only: no inline script or style, no framing; it talks to this API and, with
 * OIDC, to the identity provider (`connectTo`).
 */
export const contentSecurityPolicy = (connectTo: readonly string[] = []) => [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
  `connect-src ${["'self'", ...connectTo].join(' ')}`, "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built web UI at `/`: its files (hashed assets cached for a year), and index.html for
 * every other GET that asks for HTML outside the API paths, so deep links like /faelle/<id> work.
 * Returns false (and serves nothing) when no built UI is found.
 */
export function serveWebUi(app: INestApplication, dir = process.env.WEB_DIR || DEFAULT_WEB_DIR, connectTo: readonly string[] = []): boolean {
  if (!isBuiltUi(dir)) return false;
  const csp = contentSecurityPolicy(connectTo);
  const files = express.static(dir, {
    index: false,
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const index = join(dir, 'index.html');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (API_PATHS.test(req.path) || req.path.startsWith('/.vite')) return next();
    return files(req, res, () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      if (!req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Content-Security-Policy', csp);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      return res.sendFile(index);
    });
  });
  return true;
}
