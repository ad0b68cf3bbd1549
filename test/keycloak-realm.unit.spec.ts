import { loadSettings } from '@wih/runtime';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The demo realm that docker-compose.yml imports into Keycloak, and the API's settings there: the
 * realm must hand out what the API checks (roles at realm_access.roles, the audience, the issuer).
 */
const root = resolve(__dirname, '..');
const ROLES = ['caseworker', 'fachstelle', 'evaluator', 'admin'];

interface Mapper {
  protocolMapper: string;
  config: Record<string, string>;
}
interface Client {
  clientId: string;
  publicClient?: boolean;
  standardFlowEnabled?: boolean;
  implicitFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  redirectUris?: string[];
  attributes?: Record<string, string>;
  protocolMappers?: Mapper[];
}
interface User {
  id: string;
  username: string;
  enabled: boolean;
  realmRoles?: string[];
  credentials?: { type: string; value: string; temporary: boolean }[];
}
interface Realm {
  realm: string;
  enabled: boolean;
  roles: { realm: { name: string }[] };
  clients: Client[];
  users: User[];
}

const realm = JSON.parse(readFileSync(resolve(root, 'deploy/keycloak/wohnintegrationshilfe-realm.json'), 'utf8')) as Realm;
const client = (id: string): Client => {
  const found = realm.clients.find((c) => c.clientId === id);
  if (!found) throw new Error(`no client ${id} in the realm`);
  return found;
};

/** `KEY: value` lines at one indentation. */
const pairs = (lines: string, indent: number): Record<string, string> =>
  Object.fromEntries(
    [...lines.matchAll(new RegExp(`^ {${indent}}(\\w+): "?([^"\\n]*)"?$`, 'gm'))].map(([, key, value]) => [key, value.trim()]),
  );

/** The api service's environment in docker-compose.yml: its `KEY: value` lines, after those of a top-level mapping it merges (`<<: *name`). */
function composeApiEnvironment(): Record<string, string> {
  const compose = readFileSync(resolve(root, 'docker-compose.yml'), 'utf8');
  const block = /\n {2}api:\n([\s\S]*?)\n {2}\w+:\n/.exec(compose)?.[1] ?? '';
  const env = /\n {4}environment:[^\n]*\n((?: {6}[^\n]*\n)+)/.exec(`\n${block}\n`)?.[1] ?? '';
  const merged = /^ {6}<<: \*([\w-]+)$/m.exec(env)?.[1];
  const shared = merged ? (new RegExp(`\\n[\\w-]+: &${merged}\\n((?: {2}[^\\n]*\\n)+)`).exec(compose)?.[1] ?? '') : '';
  return { ...pairs(shared, 2), ...pairs(env, 6) };
}

describe('Keycloak demo realm', () => {
  it('is enabled and defines exactly the four application roles', () => {
    expect(realm.enabled).toBe(true);
    expect(realm.roles.realm.map((r) => r.name).sort()).toEqual([...ROLES].sort());
  });

  it.each(ROLES)('has one enabled demo user with exactly the role %s and a permanent password', (role) => {
    const users = realm.users.filter((u) => u.realmRoles?.includes(role));
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ enabled: true, realmRoles: [role] });
    expect(users[0].credentials).toEqual([expect.objectContaining({ type: 'password', temporary: false, value: expect.any(String) })]);
  });

  it('gives the demo users fixed ids (the `sub` a Fachstelle assigns cases to)', () => {
    const ids = realm.users.map((u) => u.id);
    expect(new Set(ids).size).toBe(realm.users.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("has a public web client: authorization code with PKCE S256 only, redirecting to the API origin (and the cluster profile's proxy)", () => {
    expect(client('wih-web')).toMatchObject({
      publicClient: true,
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      // 3001: the cluster profile's proxy in front of its two API instances (decision 0041).
      redirectUris: ['http://localhost:3000/*', 'http://localhost:3001/*'],
      attributes: expect.objectContaining({ 'pkce.code.challenge.method': 'S256' }),
    });
  });

  it('keeps the password grant to the demo client alone', () => {
    expect(realm.clients.filter((c) => c.directAccessGrantsEnabled).map((c) => c.clientId)).toEqual(['wih-demo-cli']);
  });
});

describe('the api service of docker-compose.yml against the realm', () => {
  const env = composeApiEnvironment();

  it("is a valid production configuration for OIDC with the realm's claim path", () => {
    const settings = loadSettings(env);
    expect(settings.production).toBe(true);
    expect(settings.oidc).toMatchObject({ issuer: `http://localhost:8080/realms/${realm.realm}`, rolesClaim: 'realm_access.roles' });
    expect(settings.oidc?.discoveryUrl).toBe(`http://keycloak:8080/realms/${realm.realm}/.well-known/openid-configuration`);
  });

  it('expects the audience that both clients put into their access tokens', () => {
    for (const c of realm.clients) {
      const audiences = (c.protocolMappers ?? [])
        .filter((m) => m.protocolMapper === 'oidc-audience-mapper' && m.config['access.token.claim'] === 'true')
        .map((m) => m.config['included.custom.audience']);
      expect({ client: c.clientId, audiences }).toEqual({ client: c.clientId, audiences: [env.AUTH_OIDC_AUDIENCE] });
    }
  });

  it("accepts the access tokens of the realm's clients only (azp), the web UI's among them", () => {
    const settings = loadSettings(env);
    expect([...(settings.oidc?.authorizedParties ?? [])].sort()).toEqual(realm.clients.map((c) => c.clientId).sort());
    expect(settings.oidc?.clientId).toBe('wih-web');
  });

  it('would not start in production without the audience', () => {
    expect(() => loadSettings({ ...env, AUTH_OIDC_AUDIENCE: '' })).toThrow(/needs AUTH_OIDC_AUDIENCE/);
  });

  it('reaches the read store, the keys and the access log each as a user of its own in a database of its own', () => {
    const settings = loadSettings(env);
    const urls = [settings.mongoUrl, settings.mongoKeysUrl, settings.mongoAccessLogUrl].map((url) => new URL(url ?? ''));
    expect(urls.map((url) => [url.username, url.pathname])).toEqual([
      ['wih_read', '/wohnintegrationshilfe'],
      ['wih_keys', '/wih_keys'],
      ['wih_access_log', '/wih_access_log'],
    ]);
    // The users live in `admin` (deploy/mongo/create-users.js), not in the databases the URLs name.
    for (const url of urls) expect(url.searchParams.get('authSource')).toBe('admin');
  });
});
