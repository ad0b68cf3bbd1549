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

/** Source maps would publish the UI's sources; the build emits none, and older ones left in the folder are not served. */
const SOURCE_MAP = /\.map$/i;

/**
 * Serves the built web UI at `/`: its files (hashed assets cached for a year), and index.html for
 * every other GET that asks for HTML outside the API paths, so deep links like /faelle/<id> work.
 * Returns false (and serves nothing) when no built UI is found. The security headers (CSP, no
 * framing, nosniff, no referrer) come from the one global middleware (http/security-headers.ts).
 */
export function serveWebUi(app: INestApplication, dir = process.env.WEB_DIR || DEFAULT_WEB_DIR): boolean {
  if (!isBuiltUi(dir)) return false;
  const files = express.static(dir, {
    index: false,
    setHeaders: (res, path) =>
      res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const index = join(dir, 'index.html');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (API_PATHS.test(req.path) || req.path.startsWith('/.vite') || SOURCE_MAP.test(req.path)) return next();
    return files(req, res, () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      if (!req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      return res.sendFile(index);
    });
  });
  return true;
}
