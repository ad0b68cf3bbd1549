import { errors, SignJWT } from 'jose';
import { HS256_MAX_LIFETIME_SECONDS, Hs256Verifier } from './hs256.verifier';
import { claimAt, rejectionOf, TokenRejectedError, toVerifiedToken } from './token-verifier';

describe('claimAt', () => {
  const payload = { roles: ['admin'], realm_access: { roles: ['caseworker'] }, 'https://wih.example/roles': ['evaluator'], flat: 'x' };

  it.each([
    ['roles', ['admin']],
    ['realm_access.roles', ['caseworker']],
    ['https://wih.example/roles', ['evaluator']],
    ['realm_access.missing', undefined],
    ['flat.deeper', undefined],
    ['roles.length', undefined],
    ['constructor', undefined],
  ])('%s', (path, expected) => {
    expect(claimAt(payload, path)).toEqual(expected);
  });
});

describe('toVerifiedToken', () => {
  it("keeps known roles once, in the token's order, and drops the rest", () => {
    expect(toVerifiedToken({ sub: 'anna', roles: ['uma_authorization', 'evaluator', 42, 'caseworker', 'evaluator'] }, 'roles')).toEqual({
      sub: 'anna',
      roles: ['evaluator', 'caseworker'],
    });
  });

  it.each([
    ['a string', 'caseworker'],
    ['an object', { caseworker: true }],
    ['missing', undefined],
  ])('has no roles when the claim is %s', (_label, roles) => {
    expect(toVerifiedToken({ sub: 'anna', roles }, 'roles')).toEqual({ sub: 'anna', roles: [] });
  });

  it.each([undefined, '', 42])('refuses the subject %p', (sub) => {
    expect(() => toVerifiedToken({ sub: sub as string }, 'roles')).toThrow(TokenRejectedError);
  });
});

describe('rejectionOf', () => {
  it.each([
    ['an expired token', new errors.JWTExpired('"exp" claim timestamp check failed', {}), 'expired'],
    ['a bad signature', new errors.JWSSignatureVerificationFailed(), 'invalid'],
    ['an unknown kid', new errors.JWKSNoMatchingKey(), 'invalid'],
    ['a JWKS timeout', new errors.JWKSTimeout(), 'verification-unavailable'],
    ['a JWKS answering 500', new errors.JOSEError('Expected 200 OK from the JSON Web Key Set HTTP response'), 'verification-unavailable'],
    ['a network error', new TypeError('fetch failed'), 'verification-unavailable'],
  ])('%s', (_label, error, reason) => {
    expect(rejectionOf(error).reason).toBe(reason);
  });

  it('never repeats what the error said (it may quote a claim)', () => {
    const claim = new errors.JWTClaimValidationFailed('unexpected "iss" claim value', { iss: 'Jane Doe' }, 'iss');
    expect(rejectionOf(claim).message).toBe('the token is invalid');
  });
});

describe('Hs256Verifier', () => {
  const secret = 'a-secret-for-unit-tests-only-0123456789';
  const key = new TextEncoder().encode(secret);
  const sign = (claims: Record<string, unknown>, alg = 'HS256', exp: number | string = '1h') =>
    new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime(exp).sign(key);
  const reasonOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (e: TokenRejectedError) => e.reason,
    );

  it('accepts a token signed with the secret', async () => {
    await expect(new Hs256Verifier(secret).verify(await sign({ sub: 'anna', roles: ['caseworker'] }))).resolves.toEqual({
      sub: 'anna',
      roles: ['caseworker'],
    });
  });

  it('accepts the longest lifetime, 12 hours', async () => {
    expect(HS256_MAX_LIFETIME_SECONDS).toBe(12 * 3600);
    await expect(
      new Hs256Verifier(secret).verify(
        await new SignJWT({ sub: 'anna' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('12h').sign(key),
      ),
    ).resolves.toMatchObject({ sub: 'anna' });
  });

  it.each([
    [
      'another secret',
      async () =>
        new SignJWT({ sub: 'anna' })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(`${secret}x`)),
      'invalid',
    ],
    ['HS512', () => sign({ sub: 'anna' }, 'HS512'), 'invalid'],
    ['an expired token', () => sign({ sub: 'anna' }, 'HS256', Math.floor(Date.now() / 1000) - 10), 'expired'],
    ['garbage', async () => 'not.a.jwt', 'invalid'],
    ['a token without exp', () => new SignJWT({ sub: 'anna' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().sign(key), 'invalid'],
    ['a token valid for 100 years', () => sign({ sub: 'anna' }, 'HS256', '100y'), 'invalid'],
    ['a token issued for 12 hours and a minute', () => sign({ sub: 'anna' }, 'HS256', '721m'), 'invalid'],
    [
      'a token without iat valid for 13 more hours',
      () => new SignJWT({ sub: 'anna' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('13h').sign(key),
      'invalid',
    ],
    [
      'a token issued long ago for a long time, even when it ends soon',
      () =>
        new SignJWT({ sub: 'anna' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuedAt(Math.floor(Date.now() / 1000) - 30 * 24 * 3600)
          .setExpirationTime('1h')
          .sign(key),
      'invalid',
    ],
  ])('refuses %s', async (_label, make, reason) => {
    expect(await reasonOf(new Hs256Verifier(secret).verify(await make()))).toBe(reason);
  });
});
