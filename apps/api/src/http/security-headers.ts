import type { NextFunction, Request, RequestHandler, Response } from 'express';

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
export const contentSecurityPolicy = (connectTo: readonly string[] = []) => [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
  `connect-src ${["'self'", ...connectTo].join(' ')}`, "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/**
 * Swagger UI's page has inline `<style>` blocks and style attributes, and draws icons from data:
 * URLs; its scripts are files of its own, so scripts stay 'self' only.
 */
export const DOCS_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** API answers load nothing and are shown in no frame. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** One year; sent only on answers that reached this process over TLS (see below). */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The headers of every answer (the one place that sets them; helmet is not a dependency):
 * - a Content-Security-Policy for what the path serves (the UI, Swagger UI, or API data);
 * - no framing, no MIME sniffing, no referrer (a case id in a deep link stays in the browser);
 * - `Cache-Control: no-store` by default, so no answer with personal data (case detail, timeline,
 *   caseload, access log, exports) lands in a browser or proxy cache; the UI's static files set
 *   their own caching after this (static.ts);
 * - HSTS only when Express saw the request arrive over TLS (`req.secure`). Without `trust proxy`
 *   that is the socket itself, so a client cannot fake it with `X-Forwarded-Proto`; behind a
 *   TLS-terminating proxy the proxy sends HSTS (docs/operations.md).
 */
export function securityHeaders(connectTo: readonly string[] = []): RequestHandler {
  const uiPolicy = contentSecurityPolicy(connectTo);
  return (req: Request, res: Response, next: NextFunction) => {
    const policy = DOCS_PATHS.test(req.path) ? DOCS_POLICY : API_PATHS.test(req.path) ? API_POLICY : uiPolicy;
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}
