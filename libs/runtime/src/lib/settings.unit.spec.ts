import { join } from 'node:path';
import { loadSettings, SettingsError } from './settings';

const ISSUER = 'https://login.example.org/realms/wih';
const SECRET = 'a-secret-of-at-least-32-bytes-0123456789';
const KEK = Buffer.alloc(32, 7).toString('base64');

describe('loadSettings: authentication', () => {
  it('defaults to HS256 with a generated secret outside production', () => {
    expect(loadSettings({})).toMatchObject({ jwtSecret: undefined, oidc: undefined });
  });

  it('reads the OIDC settings with their defaults', () => {
    expect(loadSettings({ AUTH_OIDC_ISSUER: ISSUER }).oidc).toEqual({
      issuer: ISSUER,
      discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
      audience: undefined,
      rolesClaim: 'roles',
      clientId: 'wih-web',
    });
  });

  it('checks azp against AUTH_OIDC_AUTHORIZED_PARTIES, else an explicitly set AUTH_OIDC_CLIENT_ID, else not at all', () => {
    expect(loadSettings({ AUTH_OIDC_ISSUER: ISSUER }).oidc?.authorizedParties).toBeUndefined();
    expect(loadSettings({ AUTH_OIDC_ISSUER: ISSUER, AUTH_OIDC_CLIENT_ID: 'wih-ui' }).oidc).toMatchObject({
      clientId: 'wih-ui',
      authorizedParties: ['wih-ui'],
    });
    expect(
      loadSettings({ AUTH_OIDC_ISSUER: ISSUER, AUTH_OIDC_CLIENT_ID: 'wih-ui', AUTH_OIDC_AUTHORIZED_PARTIES: 'wih-ui, wih-cli,' }).oidc
        ?.authorizedParties,
    ).toEqual(['wih-ui', 'wih-cli']);
  });

  it('takes the claim path, audience and discovery URL when given', () => {
    const env = { AUTH_OIDC_ISSUER: `${ISSUER}/`, AUTH_ROLES_CLAIM: 'realm_access.roles', AUTH_OIDC_AUDIENCE: 'wih-api' };
    expect(loadSettings(env).oidc).toMatchObject({
      discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
      audience: 'wih-api',
      rolesClaim: 'realm_access.roles',
    });
    const internal = 'http://keycloak:8080/realms/wih/.well-known/openid-configuration';
    expect(loadSettings({ AUTH_OIDC_ISSUER: ISSUER, AUTH_OIDC_DISCOVERY_URL: internal }).oidc?.discoveryUrl).toBe(internal);
  });

  it.each([
    [
      'production without a way to verify tokens',
      { NODE_ENV: 'production' },
      /NODE_ENV=production needs AUTH_OIDC_ISSUER or AUTH_JWT_SECRET/,
    ],
    ['both a secret and an issuer', { AUTH_OIDC_ISSUER: ISSUER, AUTH_JWT_SECRET: SECRET }, /not both/],
    ['an issuer that is not a URL', { AUTH_OIDC_ISSUER: 'keycloak' }, /AUTH_OIDC_ISSUER must be an http\(s\) URL/],
    [
      'a discovery URL that is not http(s)',
      { AUTH_OIDC_ISSUER: ISSUER, AUTH_OIDC_DISCOVERY_URL: 'file:///etc/passwd' },
      /AUTH_OIDC_DISCOVERY_URL/,
    ],
    ['an empty segment in the claim path', { AUTH_OIDC_ISSUER: ISSUER, AUTH_ROLES_CLAIM: 'realm_access..roles' }, /AUTH_ROLES_CLAIM/],
    ['an audience without issuer', { AUTH_OIDC_AUDIENCE: 'wih-api' }, /AUTH_OIDC_AUDIENCE needs AUTH_OIDC_ISSUER/],
    ['a claim path without issuer', { AUTH_ROLES_CLAIM: 'realm_access.roles' }, /AUTH_ROLES_CLAIM needs AUTH_OIDC_ISSUER/],
    [
      'authorized parties without issuer',
      { AUTH_OIDC_AUTHORIZED_PARTIES: 'wih-web' },
      /AUTH_OIDC_AUTHORIZED_PARTIES needs AUTH_OIDC_ISSUER/,
    ],
    ['production with an issuer but no audience', { NODE_ENV: 'production', AUTH_OIDC_ISSUER: ISSUER }, /needs AUTH_OIDC_AUDIENCE/],
    ['a one-character secret', { AUTH_JWT_SECRET: 'x' }, /AUTH_JWT_SECRET must be at least 32 bytes/],
    ['a 31-byte secret', { AUTH_JWT_SECRET: 'x'.repeat(31) }, /AUTH_JWT_SECRET must be at least 32 bytes/],
  ])('refuses %s, saying why', (_label, env, message) => {
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow(message);
  });

  it.each([
    [
      'an issuer and its audience',
      { NODE_ENV: 'production', AUTH_OIDC_ISSUER: ISSUER, AUTH_OIDC_AUDIENCE: 'wih-api', KEY_ENCRYPTION_KEY: KEK },
    ],
    ['a secret', { NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, KEY_ENCRYPTION_KEY_FILE: '/run/secrets/kek' }],
    [
      'a secret of exactly 32 bytes (umlauts count twice)',
      { NODE_ENV: 'production', AUTH_JWT_SECRET: `${'ü'.repeat(15)}xy`, KEY_ENCRYPTION_KEY: KEK },
    ],
  ])('starts in production with %s', (_label, env) => {
    expect(loadSettings(env).production).toBe(true);
  });
});

describe('loadSettings: production and the listening address', () => {
  it.each(['production', 'Production', 'PRODUCTION', 'prod', 'Prod', ' production '])(
    'takes NODE_ENV=%p for production (and asks for a way to verify tokens)',
    (nodeEnv) => {
      expect(() => loadSettings({ NODE_ENV: nodeEnv })).toThrow(/needs AUTH_OIDC_ISSUER or AUTH_JWT_SECRET/);
      expect(() => loadSettings({ NODE_ENV: nodeEnv, AUTH_JWT_SECRET: SECRET })).toThrow(/needs KEY_ENCRYPTION_KEY/);
      expect(loadSettings({ NODE_ENV: nodeEnv, AUTH_JWT_SECRET: SECRET, KEY_ENCRYPTION_KEY: KEK }).production).toBe(true);
    },
  );

  it.each([undefined, '', 'development', 'test', 'preproduction', 'production-like'])(
    'does not take NODE_ENV=%p for production',
    (nodeEnv) => {
      expect(loadSettings({ NODE_ENV: nodeEnv }).production).toBe(false);
    },
  );

  it('listens on loopback unless HOST says otherwise', () => {
    expect(loadSettings({}).host).toBe('127.0.0.1');
    expect(loadSettings({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadSettings({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});

describe('loadSettings: key-encryption key of the data keys', () => {
  it("generates one into DATA_DIR outside production, or takes the operator's (variable or file)", () => {
    expect(loadSettings({ DATA_DIR: '/srv/wih' }).keyEncryption).toEqual({ source: 'generated', file: '/srv/wih/key-encryption.key' });
    expect(loadSettings({ KEY_ENCRYPTION_KEY: KEK }).keyEncryption).toEqual({ source: 'environment', key: KEK });
    expect(loadSettings({ KEY_ENCRYPTION_KEY_FILE: '/run/secrets/kek' }).keyEncryption).toEqual({
      source: 'file',
      file: '/run/secrets/kek',
    });
  });

  it.each([
    [
      'production without one',
      { NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET },
      /NODE_ENV=production needs KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_FILE/,
    ],
    ['production spelt otherwise', { NODE_ENV: 'Production', AUTH_JWT_SECRET: SECRET }, /NODE_ENV=production needs KEY_ENCRYPTION_KEY/],
    ['PRODUCTION', { NODE_ENV: 'PRODUCTION', AUTH_JWT_SECRET: SECRET }, /NODE_ENV=production needs KEY_ENCRYPTION_KEY/],
    ['prod', { NODE_ENV: 'prod', AUTH_JWT_SECRET: SECRET }, /NODE_ENV=production needs KEY_ENCRYPTION_KEY/],
    ['both ways at once', { KEY_ENCRYPTION_KEY: KEK, KEY_ENCRYPTION_KEY_FILE: '/run/secrets/kek' }, /not both/],
    ['a key of 16 bytes', { KEY_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, /32 random bytes in base64/],
    ['a key that is not base64', { KEY_ENCRYPTION_KEY: 'not a key at all, but long enough to be 32?' }, /32 random bytes in base64/],
  ])('refuses %s, saying why (without repeating the key)', (_label, env, message) => {
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow(message);
    const key = (env as { KEY_ENCRYPTION_KEY?: string }).KEY_ENCRYPTION_KEY;
    if (key) expect(() => loadSettings(env)).not.toThrow(key);
  });
});

describe('READ_DIR (decision 0052)', () => {
  it('is DATA_DIR unless set, and resolved to an absolute path when set', () => {
    expect(loadSettings({ DATA_DIR: '/srv/wih' }).readDir).toBe('/srv/wih');
    expect(loadSettings({ DATA_DIR: '/srv/wih', READ_DIR: '/mnt/fast/wih-read' }).readDir).toBe('/mnt/fast/wih-read');
    expect(loadSettings({ DATA_DIR: '/srv/wih', READ_DIR: 'read' }).readDir).toBe(join(process.cwd(), 'read'));
  });
});
