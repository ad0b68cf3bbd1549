import type { Request, Response } from 'express';
import { rmSync } from 'node:fs';
import { securityHeaders } from '../../src/http/security-headers';
import { activeCase, fakeWebBuild, TestApi, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';

/** The headers of every answer (http/security-headers.ts): the UI's files, the API's data, the docs. */
describe('security headers', () => {
  let api: TestApi;
  let webDir: string;
  beforeAll(async () => {
    webDir = fakeWebBuild({ sourceMap: true });
    process.env.WEB_DIR = webDir;
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(async () => {
    delete process.env.WEB_DIR;
    await api.stop();
    rmSync(webDir, { recursive: true, force: true });
  });

  const headersOf = (answer: { headers: Headers }) => ({
    csp: answer.headers.get('content-security-policy') ?? '',
    nosniff: answer.headers.get('x-content-type-options'),
    referrer: answer.headers.get('referrer-policy'),
    frame: answer.headers.get('x-frame-options'),
  });

  it('sends the page policy on /index.html fetched as a file, as on / and deep links', async () => {
    for (const path of ['/index.html', '/', '/faelle/0b7f6c8e-1111-4222-8333-444455556666']) {
      const answer = await api.request('GET', path, { headers: { accept: 'text/html' } });
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      const headers = headersOf(answer);
      expect({ path, ...headers, csp: undefined }).toEqual({
        path,
        csp: undefined,
        nosniff: 'nosniff',
        referrer: 'no-referrer',
        frame: 'DENY',
      });
      expect(headers.csp).toContain("frame-ancestors 'none'");
      expect(headers.csp).toContain("script-src 'self'");
      expect(headers.csp).not.toContain('unsafe-inline');
    }
  });

  it('does not serve source maps, and keeps hashed assets cacheable', async () => {
    expect((await api.request('GET', '/assets/app-1234.js.map', { headers: { accept: '*/*' } })).status).toBe(404);
    const asset = await api.request('GET', '/assets/app-1234.js', { headers: { accept: '*/*' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(headersOf(asset).nosniff).toBe('nosniff');
  });

  it('keeps answers with personal data out of every cache', async () => {
    const { caseId } = await activeCase(api);
    for (const path of [`/api/cases/${caseId}`, `/api/cases/${caseId}/timeline`, '/api/caseload', '/api/caseload?q=Testfall']) {
      const answer = await api.request('GET', path, { token: users.anna });
      expect({ path, status: answer.status, cache: answer.headers.get('cache-control') }).toEqual({ path, status: 200, cache: 'no-store' });
      expect(headersOf(answer).csp).toContain("default-src 'none'");
    }
    const exported = await api.request('GET', '/api/admin/access-log?format=csv', { token: users.admin });
    expect(exported.headers.get('cache-control')).toBe('no-store');
  });

  it('lets nobody frame the OpenAPI viewer, and allows it only its own scripts', async () => {
    for (const path of ['/api/docs', '/api/docs/', '/api/openapi.json']) {
      const answer = await api.request('GET', path, { headers: { accept: 'text/html' } });
      expect({ path, status: answer.status, frame: headersOf(answer).frame }).toEqual({ path, status: 200, frame: 'DENY' });
      expect(headersOf(answer).csp).toContain("frame-ancestors 'none'");
    }
    const page = await api.request('GET', '/api/docs/', { headers: { accept: 'text/html' } });
    expect(page.text).toContain('swagger-ui-init.js');
    // Swagger UI's page has inline styles but no inline script: scripts stay 'self' only.
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
    expect(headersOf(page).csp).toContain("script-src 'self';");
  });

  it('refusals carry the headers too (413, 404)', async () => {
    const tooLarge = await api.request('POST', '/api/cases', { token: users.anna, raw: JSON.stringify({ notes: 'x'.repeat(70_000) }) });
    expect(tooLarge.status).toBe(413);
    expect(headersOf(tooLarge).nosniff).toBe('nosniff');
    const unknown = await api.request('GET', '/api/nothing-here');
    expect({ status: unknown.status, frame: headersOf(unknown).frame, cache: unknown.headers.get('cache-control') }).toEqual({
      status: 404,
      frame: 'DENY',
      cache: 'no-store',
    });
  });

  it('sends no HSTS over plain HTTP, even when a client claims https in X-Forwarded-Proto', async () => {
    const answer = await api.request('GET', '/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(answer.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS when the request came over TLS', () => {
    const sent: Record<string, string> = {};
    const res = {
      setHeader: (name: string, value: string) => (sent[name.toLowerCase()] = value),
      removeHeader: (name: string) => delete sent[name.toLowerCase()],
    } as unknown as Response;
    securityHeaders()({ path: '/', secure: true } as Request, res, () => undefined);
    expect(sent['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});
