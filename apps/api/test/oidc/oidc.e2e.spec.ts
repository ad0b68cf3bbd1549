import { Logger } from '@nestjs/common';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET_FILE } from '../../src/auth/secret';
import { referral } from '../http/fixtures';
import { expectProblem, TestApi, token as hs256Token } from '../http/harness';
import { signingKey, TestIssuer, type SigningKey } from './issuer';

/** The API configured for an OIDC issuer (Keycloak's claim layout), verifying over HTTP. */
describe('the API with AUTH_OIDC_ISSUER', () => {
  let issuer: TestIssuer;
  let key: SigningKey;
  let api: TestApi;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    issuer = await TestIssuer.start();
    key = await signingKey('kc-1');
    issuer.published = [key];
    api = await TestApi.start(mkdtempSync(join(tmpdir(), 'wih-oidc-')), {
      AUTH_OIDC_ISSUER: issuer.url,
      AUTH_ROLES_CLAIM: 'realm_access.roles',
      AUTH_OIDC_AUDIENCE: 'wih-api',
    });
  });
  afterAll(async () => {
    await api.stop();
    await issuer.stop();
  });

  const keycloakToken = (sub: string, roles: string[], claims: Record<string, unknown> = {}, expiresAt?: number) =>
    issuer.token(
      key,
      { sub, aud: ['wih-api', 'account'], realm_access: { roles: [...roles, 'offline_access', 'default-roles-wih'] }, ...claims },
      { expiresAt },
    );

  it('writes no development secret (none is used)', () => {
    expect(existsSync(join(api.dataDir, SECRET_FILE))).toBe(false);
  });

  it("accepts the issuer's token: the subject is the acting user, the role comes from realm_access.roles", async () => {
    const created = await api.post('/api/cases', await keycloakToken('0b6c-anna', ['caseworker']), referral());
    expect(created.status).toBe(201);
    const [received] = await api.store.readStream(`case-${created.body.caseId}`);
    expect(received.metadata).toMatchObject({ userId: '0b6c-anna', role: 'caseworker' });
  });

  it.each([
    [
      'a role only in the top-level roles claim (not the configured path)',
      () => keycloakToken('x', [], { roles: ['caseworker'] }),
      403,
      'forbidden',
    ],
    ['a token for another audience', () => keycloakToken('anna', ['caseworker'], { aud: 'account' }), 401, 'unauthorized'],
    [
      'a token of another issuer',
      () =>
        issuer.token(
          key,
          { sub: 'anna', aud: 'wih-api', realm_access: { roles: ['caseworker'] } },
          { issuer: 'http://127.0.0.1:1/realms/test' },
        ),
      401,
      'unauthorized',
    ],
    ['an HS256 development token', async () => hs256Token('anna', ['caseworker']), 401, 'unauthorized'],
  ])('refuses %s', async (_label, make, status, code) => {
    expectProblem(await api.post('/api/cases', await make(), referral()), status, code);
  });

  it('says when the token has expired', async () => {
    const answer = await api.post(
      '/api/cases',
      await keycloakToken('anna', ['caseworker'], {}, Math.floor(Date.now() / 1000) - 300),
      referral(),
    );
    expectProblem(answer, 401, 'unauthorized');
    expect(answer.body.detail).toMatch(/expired/);
  });
});

describe('the API when the OIDC issuer does not answer', () => {
  let api: TestApi;
  beforeAll(async () => {
    Logger.overrideLogger(false);
    api = await TestApi.start(undefined, { AUTH_OIDC_ISSUER: 'http://127.0.0.1:1/realms/down' });
  });
  afterAll(() => api.stop());

  it('starts, answers 401 to requests with a token, and /health still answers 200', async () => {
    const issuer = await TestIssuer.start();
    const key = await signingKey('k');
    const bearer = await issuer.token(key, { roles: ['admin'] });
    await issuer.stop();
    for (let i = 0; i < 2; i += 1) {
      const answer = await api.request('GET', '/api/admin/projections', { token: bearer });
      expectProblem(answer, 401, 'unauthorized');
      expect(answer.body.detail).toMatch(/could not be verified/);
    }
    expect((await api.request('GET', '/health')).status).toBe(200);
  });
});
