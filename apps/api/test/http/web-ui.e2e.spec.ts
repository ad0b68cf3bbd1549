import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '@wih/runtime';
import { createApp } from '../../src/app/create-app';
import { devSignInEnabled } from '../../src/dev-auth/dev-sign-in';
import { contentSecurityPolicy } from '../../src/http/security-headers';
import { uiConfigOf } from '../../src/web-ui/ui-config';
import { expectProblem, fakeWebBuild, SECRET, TestApi } from './harness';

/** The web UI's needs of the API: its config route, the development sign-in, the static files. */
describe('development sign-in (embedded default with its generated secret, not production)', () => {
  let api: TestApi;
  // No AUTH_JWT_SECRET: the newcomer's `npm start`, where the API generates its own secret.
  beforeAll(async () => (api = await TestApi.start(undefined, { AUTH_JWT_SECRET: '' })));
  afterAll(() => api.stop());

  it('tells the UI to offer the development sign-in', async () => {
    const answer = await api.request('GET', '/api/ui-config');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ auth: 'dev', issuer: null, clientId: null, rolesClaim: 'roles' });
  });

  it('hands out a token the API accepts, for the roles asked', async () => {
    const answer = await api.request('POST', '/api/dev/token', { body: { userId: 'anna', roles: ['caseworker'] } });
    expect(answer.status).toBe(200);
    expect(answer.body.expiresIn).toBe(8 * 3600);
    expect((await api.request('GET', '/api/caseload', { token: answer.body.token })).status).toBe(200);
    expect((await api.request('GET', '/api/admin/projections', { token: answer.body.token })).status).toBe(403);
  });

  it('refuses admin together with a case role (separation of duties), naming the field', async () => {
    for (const roles of [
      ['admin', 'caseworker'],
      ['fachstelle', 'admin'],
    ]) {
      const answer = await api.request('POST', '/api/dev/token', { body: { userId: 'anna', roles } });
      expectProblem(answer, 400, 'validation');
      expect(answer.body.errors).toEqual([{ field: 'roles', message: expect.stringContaining('admin cannot be combined') }]);
    }
  });

  it('refuses an unknown role or a malformed user id with problem+json naming the field', async () => {
    const answer = await api.request('POST', '/api/dev/token', { body: { userId: 'an na', roles: ['root'] } });
    expectProblem(answer, 400, 'validation');
    expect(answer.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['roles', 'userId']);
  });
});

/** The first address of this machine that is not loopback, if it has one. */
const externalAddress = (): string | undefined =>
  Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('development sign-in from another machine', () => {
  const address = externalAddress();
  if (!address) console.log('Remote-address test of the development sign-in skipped: this machine has no non-loopback IPv4 address.');
  let api: TestApi;
  beforeAll(async () => (api = await TestApi.start(undefined, { AUTH_JWT_SECRET: '' }, { host: '0.0.0.0' })));
  afterAll(() => api.stop());

  (address ? it : it.skip)(
    'refuses a request that does not come from loopback, whatever X-Forwarded-For says, and offers the token field there',
    async () => {
      const remote = api.baseUrl.replace('127.0.0.1', address ?? '');
      const answer = await fetch(`${remote}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1' },
        body: JSON.stringify({ userId: 'anna', roles: ['admin'] }),
      });
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as { code: string }).code).toBe('dev-sign-in-local-only');
      expect(((await (await fetch(`${remote}/api/ui-config`)).json()) as { auth: string }).auth).toBe('token');
      // The same API still serves this machine.
      expect((await api.request('POST', '/api/dev/token', { body: { userId: 'anna', roles: ['admin'] } })).status).toBe(200);
      expect((await api.request('GET', '/api/ui-config')).body.auth).toBe('dev');
    },
  );
});

describe("an operator's secret", () => {
  let api: TestApi;
  beforeAll(async () => (api = await TestApi.start()));
  afterAll(() => api.stop());

  it('turns the development sign-in off: no token route, the token field instead', async () => {
    const token = await api.request('POST', '/api/dev/token', { body: { userId: 'anna', roles: ['admin'] } });
    expect(token.status).toBe(404);
    expect((await api.request('GET', '/api/ui-config')).body.auth).toBe('token');
  });
});

describe('production', () => {
  it('never enables the development sign-in with NODE_ENV=production (in any case, or prod), a secret or an issuer, in the settings or the live environment', () => {
    const development = loadSettings({ DATA_DIR: tmpdir() });
    expect(devSignInEnabled(development, {})).toBe(true);
    expect(devSignInEnabled(development, { NODE_ENV: 'development' })).toBe(true);
    for (const nodeEnv of ['production', 'Production', 'prod', 'PROD']) {
      expect(
        devSignInEnabled(
          loadSettings({
            NODE_ENV: nodeEnv,
            AUTH_JWT_SECRET: SECRET,
            DATA_DIR: tmpdir(),
            KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          }),
          {},
        ),
      ).toBe(false);
      expect(devSignInEnabled(development, { NODE_ENV: nodeEnv })).toBe(false);
    }
    expect(devSignInEnabled(loadSettings({ AUTH_JWT_SECRET: SECRET, DATA_DIR: tmpdir() }), {})).toBe(false);
    expect(devSignInEnabled(development, { AUTH_JWT_SECRET: SECRET })).toBe(false);
    expect(devSignInEnabled(development, { AUTH_OIDC_ISSUER: 'https://id.example.org/realms/koeln' })).toBe(false);
  });

  it('has no token route and offers the token field instead', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wih-prod-'));
    const settings = loadSettings({
      NODE_ENV: 'Prod',
      AUTH_JWT_SECRET: SECRET,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    const { app } = await createApp(settings);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    try {
      const token = await fetch(`http://127.0.0.1:${port}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'anna', roles: ['admin'] }),
      });
      expect(token.status).toBe(404);
      const config = (await (await fetch(`http://127.0.0.1:${port}/api/ui-config`)).json()) as { auth: string };
      expect(config.auth).toBe('token');
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('with an identity provider (OIDC)', () => {
  const settings = loadSettings({
    AUTH_OIDC_ISSUER: 'https://id.example.org/realms/koeln',
    AUTH_ROLES_CLAIM: 'realm_access.roles',
    DATA_DIR: tmpdir(),
  });

  it('sends the UI to the identity provider and has no development sign-in', () => {
    expect(devSignInEnabled(settings, {})).toBe(false);
    expect(uiConfigOf(settings, {})).toEqual({
      auth: 'oidc',
      issuer: 'https://id.example.org/realms/koeln',
      clientId: 'wih-web',
      rolesClaim: 'realm_access.roles',
    });
    expect(
      uiConfigOf(loadSettings({ AUTH_OIDC_ISSUER: 'https://id.example.org/realms/koeln', AUTH_OIDC_CLIENT_ID: 'wih-ui' }), {}).clientId,
    ).toBe('wih-ui');
  });

  it("lets the page talk to the provider's origin and nowhere else", () => {
    expect(contentSecurityPolicy(['https://id.example.org'])).toContain("connect-src 'self' https://id.example.org;");
    expect(contentSecurityPolicy()).toContain("connect-src 'self';");
  });
});

describe('the built web UI at /', () => {
  let api: TestApi;
  let webDir: string;
  let base: string;
  beforeAll(async () => {
    webDir = fakeWebBuild();
    process.env.WEB_DIR = webDir;
    api = await TestApi.start();
    base = api.baseUrl;
  });
  afterAll(async () => {
    delete process.env.WEB_DIR;
    await api.stop();
    rmSync(webDir, { recursive: true, force: true });
  });

  const get = (path: string, accept = 'text/html') => fetch(`${base}${path}`, { headers: { accept } });

  it('answers index.html at / and at deep links, so a reload keeps the page', async () => {
    for (const path of ['/', '/faelle/0b7f6c8e-1111-4222-8333-444455556666', '/auswertung']) {
      const answer = await get(path);
      expect({ path, status: answer.status, text: await answer.text() }).toEqual({
        path,
        status: 200,
        text: '<!doctype html><title>UI</title>',
      });
    }
  });

  it('sends the page with a Content-Security-Policy that allows no inline script and no framing', async () => {
    const csp = (await get('/')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('serves hashed assets for a year and leaves the API paths to the API', async () => {
    const asset = await get('/assets/app-1234.js', '*/*');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const unknownApi = await get('/api/nothing-here');
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await get('/health', 'application/json')).status).toBe(200);
    expect((await get('/metrics', 'text/plain')).headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await get('/.vite/manifest.json', '*/*')).status).toBe(404);
  });
});
