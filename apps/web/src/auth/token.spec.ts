import { sessionFromToken } from './token';

const part = (value: object) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const jwt = (claims: object) => `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.signature`;

describe('reading who a token is for (the API verifies it; the UI only picks screens)', () => {
  it('reads subject, name, expiry and the known roles of the roles claim', () => {
    const session = sessionFromToken(
      jwt({ sub: 'anna', name: 'Anna Schmitz', roles: ['caseworker', 'offline_access'], exp: 2_000_000_000 }),
    );
    expect(session).toEqual({
      token: expect.any(String),
      userId: 'anna',
      name: 'Anna Schmitz',
      roles: ['caseworker'],
      expiresAt: 2_000_000_000_000,
    });
  });

  it("follows a configured claim path such as Keycloak's realm_access.roles, and keeps umlauts", () => {
    const session = sessionFromToken(
      jwt({ sub: 'u-1', preferred_username: 'jürgen', realm_access: { roles: ['fachstelle', 'admin'] } }),
      'realm_access.roles',
    );
    expect(session).toEqual(expect.objectContaining({ name: 'jürgen', roles: ['fachstelle', 'admin'] }));
  });

  it('refuses what is not a token with a subject', () => {
    expect(sessionFromToken('not-a-token')).toBeNull();
    expect(sessionFromToken(jwt({ roles: ['admin'] }))).toBeNull();
  });
});
