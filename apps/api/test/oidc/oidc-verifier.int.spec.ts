import { Logger } from '@nestjs/common';
import type { OidcSettings } from '@wih/runtime';
import { SignJWT } from 'jose';
import { createSecretKey } from 'node:crypto';
import { OidcVerifier, type OidcVerifierOptions } from '../../src/auth/oidc.verifier';
import { TokenRejectedError } from '../../src/auth/token-verifier';
import { signingKey, TestIssuer, type SigningKey } from './issuer';

const now = () => Math.floor(Date.now() / 1000);

describe('OidcVerifier against a real discovery document and JWKS', () => {
  let issuer: TestIssuer;
  let key: SigningKey;
  beforeAll(async () => {
    Logger.overrideLogger(false); // discovery failures are logged on purpose; not in the test output
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.stop());
  beforeEach(async () => {
    key = await signingKey('key-1');
    issuer.published = [key];
    issuer.discoveryStatus = 200;
    issuer.advertisedIssuer = undefined;
  });

  const verifier = (overrides: Partial<OidcSettings> = {}, options: OidcVerifierOptions = {}) =>
    new OidcVerifier(
      { issuer: issuer.url, discoveryUrl: issuer.discoveryUrl, rolesClaim: 'roles', clientId: 'wih-web', ...overrides },
      options,
    );

  const rejection = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenRejectedError);
    return (error as TokenRejectedError).reason;
  };

  describe('accepts', () => {
    it('an RS256 token of the issuer: subject and roles', async () => {
      const token = await issuer.token(key, { sub: 'anna', roles: ['caseworker'] });
      await expect(verifier().verify(token)).resolves.toEqual({ sub: 'anna', roles: ['caseworker'] });
    });

    it('an ES256 token of the issuer', async () => {
      const ec = await signingKey('ec-1', 'ES256');
      issuer.published = [key, ec];
      await expect(verifier().verify(await issuer.token(ec, { roles: ['admin'] }))).resolves.toEqual({ sub: 'user-1', roles: ['admin'] });
    });

    it('roles at a dotted claim path (Keycloak realm_access.roles), ignoring roles it does not know', async () => {
      const token = await issuer.token(key, {
        realm_access: { roles: ['offline_access', 'fachstelle', 'default-roles-wih'] },
        roles: ['admin'],
      });
      await expect(verifier({ rolesClaim: 'realm_access.roles' }).verify(token)).resolves.toEqual({ sub: 'user-1', roles: ['fachstelle'] });
    });

    it('no roles when the claim path is missing (the guard then answers 403)', async () => {
      const token = await issuer.token(key, { roles: ['admin'] });
      await expect(verifier({ rolesClaim: 'realm_access.roles' }).verify(token)).resolves.toEqual({ sub: 'user-1', roles: [] });
    });

    it('a token whose exp passed within the clock tolerance', async () => {
      const token = await issuer.token(key, {}, { expiresAt: now() - 5 });
      await expect(verifier().verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    });
  });

  describe('refuses', () => {
    it('a token of another issuer', async () => {
      const token = await issuer.token(key, {}, { issuer: 'http://127.0.0.1:1/realms/other' });
      expect(await rejection(verifier().verify(token))).toBe('invalid');
    });

    it('an expired token', async () => {
      const token = await issuer.token(key, {}, { expiresAt: now() - 120 });
      expect(await rejection(verifier().verify(token))).toBe('expired');
    });

    it('a token not valid yet (nbf beyond the clock tolerance)', async () => {
      const token = await issuer.token(key, {}, { notBefore: now() + 120 });
      expect(await rejection(verifier().verify(token))).toBe('invalid');
    });

    it('a token signed by another key under the published kid', async () => {
      const impostor = await signingKey('key-1');
      expect(await rejection(verifier().verify(await issuer.token(impostor)))).toBe('invalid');
    });

    it('a token without exp', async () => {
      const token = await new SignJWT({ sub: 'anna', roles: ['admin'] })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .setIssuer(issuer.url)
        .sign(key.privateKey);
      expect(await rejection(verifier().verify(token))).toBe('invalid');
    });

    it('a token without subject', async () => {
      expect(await rejection(verifier().verify(await issuer.token(key, { sub: undefined })))).toBe('invalid');
    });

    it('an HS256 token, even one keyed with the public key material', async () => {
      const token = await new SignJWT({ sub: 'anna' })
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .setIssuer(issuer.url)
        .setExpirationTime('1h')
        .sign(createSecretKey(Buffer.from(JSON.stringify(issuer.published))));
      expect(await rejection(verifier().verify(token))).toBe('invalid');
    });
  });

  describe('audience (AUTH_OIDC_AUDIENCE)', () => {
    it.each([
      ['the configured audience', 'wih-api', true],
      ['the configured audience among others', ['account', 'wih-api'], true],
      ['another audience', 'account', false],
      ['no audience', undefined, false],
    ])('with %s', async (_label, aud, accepted) => {
      const token = await issuer.token(key, aud === undefined ? {} : { aud });
      const verifying = verifier({ audience: 'wih-api' }).verify(token);
      if (accepted) await expect(verifying).resolves.toMatchObject({ sub: 'user-1' });
      else expect(await rejection(verifying)).toBe('invalid');
    });

    it('is not checked when not configured', async () => {
      await expect(verifier().verify(await issuer.token(key, { aud: 'account' }))).resolves.toMatchObject({ sub: 'user-1' });
    });
  });

  describe('only access tokens (typ)', () => {
    it.each([
      ['a Keycloak access token (typ Bearer)', { typ: 'Bearer' }, undefined, true],
      ['a token without typ claim', {}, undefined, true],
      ['an RFC 9068 access token (header typ at+jwt)', {}, 'at+jwt', true],
      ['a Keycloak ID token (typ ID)', { typ: 'ID' }, undefined, false],
      ['a Keycloak refresh token (typ Refresh)', { typ: 'Refresh' }, undefined, false],
      ['a logout token (header typ logout+jwt)', {}, 'logout+jwt', false],
      ['a typ claim that is not a string', { typ: ['Bearer'] }, undefined, false],
    ])('%s', async (_label, claims, headerTyp, accepted) => {
      // With the right audience, so that only the type decides.
      const token = await issuer.token(key, { aud: 'wih-api', ...claims }, headerTyp ? { typ: headerTyp } : {});
      const verifying = verifier({ audience: 'wih-api' }).verify(token);
      if (accepted) await expect(verifying).resolves.toMatchObject({ sub: 'user-1' });
      else expect(await rejection(verifying)).toBe('invalid');
    });
  });

  describe('authorized party (azp), when client ids are configured', () => {
    it.each([
      ['the web client', { azp: 'wih-web' }, true],
      ['the demo CLI client', { azp: 'wih-demo-cli' }, true],
      ['another client of the realm', { azp: 'other-app' }, false],
      ['no azp', {}, false],
    ])('a token of %s', async (_label, claims, accepted) => {
      const verifying = verifier({ authorizedParties: ['wih-web', 'wih-demo-cli'] }).verify(await issuer.token(key, claims));
      if (accepted) await expect(verifying).resolves.toMatchObject({ sub: 'user-1' });
      else expect(await rejection(verifying)).toBe('invalid');
    });

    it('is not checked when none are configured', async () => {
      await expect(verifier().verify(await issuer.token(key, { azp: 'other-app' }))).resolves.toMatchObject({ sub: 'user-1' });
    });
  });

  describe('keys: cache, rotation, cooldown', () => {
    it('fetches discovery and keys once for many requests', async () => {
      const { discoveryFetches, jwksFetches } = issuer;
      const v = verifier();
      const tokens = await Promise.all(Array.from({ length: 5 }, () => issuer.token(key)));
      await Promise.all(tokens.map((t) => v.verify(t)));
      await v.verify(tokens[0]);
      expect([issuer.discoveryFetches - discoveryFetches, issuer.jwksFetches - jwksFetches]).toEqual([1, 1]);
    });

    it('after a rotation, fetches the keys again for the new kid; the retired key no longer verifies', async () => {
      const v = verifier({}, { jwksCooldownMs: 0 });
      await v.verify(await issuer.token(key));
      const next = await signingKey('key-2');
      issuer.published = [next];
      const before = issuer.jwksFetches;
      await expect(v.verify(await issuer.token(next, { sub: 'ben' }))).resolves.toMatchObject({ sub: 'ben' });
      expect(issuer.jwksFetches).toBe(before + 1);
      expect(await rejection(v.verify(await issuer.token(key)))).toBe('invalid');
    });

    it('an unknown kid fetches the keys again at most once per cooldown', async () => {
      const v = verifier({}, { jwksCooldownMs: 60_000 });
      await v.verify(await issuer.token(key));
      const stranger = await signingKey('never-published');
      const before = issuer.jwksFetches;
      for (let i = 0; i < 3; i += 1) expect(await rejection(v.verify(await issuer.token(stranger)))).toBe('invalid');
      expect(issuer.jwksFetches).toBe(before);
    });
  });

  describe('discovery failures: a refused request, never a crash', () => {
    it('refuses while discovery fails and recovers once the issuer answers', async () => {
      issuer.discoveryStatus = 503;
      const v = verifier({}, { discoveryRetryMs: 0 });
      const token = await issuer.token(key);
      expect(await rejection(v.verify(token))).toBe('verification-unavailable');
      issuer.discoveryStatus = 200;
      await expect(v.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    });

    it('asks again only after the retry interval', async () => {
      issuer.discoveryStatus = 503;
      const v = verifier({}, { discoveryRetryMs: 60_000 });
      const token = await issuer.token(key);
      const before = issuer.discoveryFetches;
      for (let i = 0; i < 3; i += 1) expect(await rejection(v.verify(token))).toBe('verification-unavailable');
      expect(issuer.discoveryFetches).toBe(before + 1);
    });

    it('refuses when the issuer cannot be reached at all', async () => {
      const v = new OidcVerifier({
        issuer: 'http://127.0.0.1:1/realms/x',
        discoveryUrl: 'http://127.0.0.1:1/realms/x/.well-known/openid-configuration',
        rolesClaim: 'roles',
        clientId: 'wih-web',
      });
      expect(await rejection(v.verify(await issuer.token(key)))).toBe('verification-unavailable');
    });

    it('logs the failure with the URL, never the token or its claims', async () => {
      const lines: string[] = [];
      const capture = (message: unknown) => void lines.push(String(message));
      Logger.overrideLogger({ log: capture, warn: capture, error: capture, debug: capture, verbose: capture, fatal: capture });
      try {
        issuer.discoveryStatus = 500;
        const token = await issuer.token(key, { name: 'Erika Mustermann', email: 'erika@example.org' });
        expect(await rejection(verifier().verify(token))).toBe('verification-unavailable');
      } finally {
        Logger.overrideLogger(false);
      }
      expect(lines).toEqual([expect.stringContaining(issuer.discoveryUrl)]);
      expect(lines.join('\n')).not.toMatch(/Erika|erika@|eyJ/);
    });

    it('refuses when the discovery document names another issuer', async () => {
      issuer.advertisedIssuer = 'http://127.0.0.1:1/realms/elsewhere';
      expect(await rejection(verifier().verify(await issuer.token(key)))).toBe('verification-unavailable');
    });
  });
});
