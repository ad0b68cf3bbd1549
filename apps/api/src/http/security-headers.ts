import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** The OpenAPI viewer and its files (Swagger UI, served by @nestjs/swagger). */
export const DOCS_PATHS = /^\/api\/docs(?:\/|$)/;
/** Answers of the API itself: JSON, CSV, HTML reports, Prometheus text. Never a page with scripts. */
const API_PATHS = /^\/(?:api|health|metrics)(?:\/|$)/;

/**
 * The web UI's own files only: no inline script or style, no framing; it talks to this API and, with
 * OIDC, to the identity provider (`connectTo`). The build has no inline script (Vite bundles the
 * module-preload helper into the entry file), and React sets styles through the DOM, which
 * `style-src 'self'` allows.
 */
export const contentSecurityPolicy = (connectTo: readonly string[] = []) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src ${["'self'", ...connectTo].join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

/**
 * Swagger UI's page has inline `<style>` blocks and style attributes, and draws icons from data:
 * URLs; its scripts are files of its own, so scripts stay 'self' only.
 */
export const DOCS_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** API answers load nothing and are shown in no frame. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** One year; sent only on answers that reached this process over TLS (see below). */
const HSTS = 'max-age=31536000; includeSubDomains';

/** A policy string as helmet's directives (helmet writes them back in the same form). */
const directivesOf = (policy: string): Record<string, string[]> =>
  Object.fromEntries(
    policy.split('; ').map((directive) => {
      const [name, ...values] = directive.split(' ');
      return [name, values];
    }),
  );

/** helmet with our choices: its defaults but for the policy and HSTS (ours, below). */
const helmetWith = (policy: string): RequestHandler =>
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: directivesOf(policy) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: false,
  });

/**
 * The headers of every answer (the one place that sets them), with helmet:
 * - a Content-Security-Policy for what the path serves (the UI, Swagger UI, or API data);
 * - no framing, no MIME sniffing, no referrer (a case id in a deep link stays in the browser),
 *   and helmet's other defaults (COOP/CORP same-origin, no DNS prefetch, …);
 * - `Cache-Control: no-store` by default, so no answer with personal data (case detail, timeline,
 *   caseload, access log, exports) lands in a browser or proxy cache; the UI's static files set
 *   their own caching after this (static.ts);
 * - HSTS only when Express saw the request arrive over TLS (`req.secure`). Without `trust proxy`
 *   that is the socket itself, so a client cannot fake it with `X-Forwarded-Proto`; behind a
 *   TLS-terminating proxy the proxy sends HSTS (docs/operations.md). helmet would send it always.
 */
export function securityHeaders(connectTo: readonly string[] = []): RequestHandler {
  const ui = helmetWith(contentSecurityPolicy(connectTo));
  const docs = helmetWith(DOCS_POLICY);
  const api = helmetWith(API_POLICY);
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    const headers = DOCS_PATHS.test(req.path) ? docs : API_PATHS.test(req.path) ? api : ui;
    headers(req, res, next);
  };
}
