import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CORE_SCHEMA, load, mergeTag } from 'js-yaml';

/**
 * The cluster profile of docker-compose.yml (decision 0041). No Docker engine runs where the tests
 * do, so the file is read as Compose reads it (YAML with anchors and merge keys) and its structure
 * checked; where a `docker compose` client exists, it validates the profile as well.
 */
const root = resolve(__dirname, '..');
const file = resolve(root, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
}
// YAML 1.2 scalars with the merge key (`<<: *anchor`), as Compose reads the file.
const compose = load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const named = (name: string): Service => {
  const service = services[name];
  if (!service) throw new Error(`no service ${name}`);
  return service;
};
const env = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(named(name).environment ?? {}).map(([key, value]) => [key, String(value)]));
const inCluster = (name: string) => named(name).profiles?.includes('cluster') ?? false;
const clusterServices = Object.keys(services).filter(inCluster);
const defaultServices = Object.keys(services).filter((name) => !named(name).profiles);

const ESDB_NODES = ['cluster-eventstore-1', 'cluster-eventstore-2', 'cluster-eventstore-3'];
const MONGO_MEMBERS = ['cluster-mongo-1', 'cluster-mongo-2', 'cluster-mongo-3'];
const APIS = ['cluster-api-1', 'cluster-api-2'];
const PROJECTORS = ['cluster-projector-1', 'cluster-projector-2'];
const hostsOf = (url: string) => (/^\w+:\/\/(?:[^@/]*@)?([^/?]+)/.exec(url)?.[1] ?? '').split(',');

describe('docker-compose.yml: the cluster profile', () => {
  it('has the stores, their setup, two API instances behind the proxy and two projectors, in that profile only', () => {
    expect(clusterServices.sort()).toEqual(
      [...ESDB_NODES, 'cluster-mongo-keyfile', ...MONGO_MEMBERS, 'cluster-mongo-init', ...APIS, 'cluster-proxy', ...PROJECTORS].sort(),
    );
    for (const name of clusterServices) expect({ name, profiles: named(name).profiles }).toEqual({ name, profiles: ['cluster'] });
  });

  it('sets only EventStoreDB options that 24.10 knows, by their current names (it refuses to start on an unknown one)', () => {
    // The options of the server's ClusterVNodeOptions (24.10) that a compose file may set, by their
    // current names; the server reads EVENTSTORE_<NAME> with the underscores dropped, case-insensitively,
    // and stops on a name it does not know. Its names deprecated since 23.10 (IntTcpPort, ExtIp,
    // HttpPort, IntHostAdvertiseAs …) are not here: they still start, with a warning, and a later
    // version drops them.
    const known = [
      'ClusterSize',
      'NodePriority',
      'DiscoverViaDns',
      'ClusterDns',
      'ClusterGossipPort',
      'GossipSeed',
      'GossipIntervalMs',
      'GossipAllowedDifferenceMs',
      'GossipTimeoutMs',
      'ReadOnlyReplica',
      'LeaderElectionTimeoutMs',
      'ReplicationIp',
      'NodeIp',
      'NodePort',
      'ReplicationPort',
      'NodeHostAdvertiseAs',
      'ReplicationHostAdvertiseAs',
      'AdvertiseHostToClientAs',
      'AdvertiseNodePortToClientAs',
      'NodePortAdvertiseAs',
      'ReplicationTcpPortAdvertiseAs',
      'ReplicationHeartbeatTimeout',
      'ReplicationHeartbeatInterval',
      'EnableAtomPubOverHttp',
      'DisableAdminUi',
      'Insecure',
      'AllowAnonymousEndpointAccess',
      'AllowAnonymousStreamAccess',
      'TelemetryOptout',
      'LogLevel',
      'RunProjections',
      'StartStandardProjections',
      'Db',
      'Index',
      'MemDb',
      'CertificateFile',
      'CertificatePrivateKeyFile',
      'TrustedRootCertificatesPath',
      'CertificateReservedNodeCommonName',
    ].map((name) => name.toLowerCase());
    const set = Object.keys(services).flatMap((name) =>
      Object.keys(named(name).environment ?? {}).filter((key) => key.startsWith('EVENTSTORE_')),
    );
    expect(set.length).toBeGreaterThan(20);
    const unknown = set.filter((key) => !known.includes(key.slice('EVENTSTORE_'.length).replace(/_/g, '').toLowerCase()));
    expect(unknown).toEqual([]);
  });

  it('runs a 3-node EventStoreDB cluster on the single node image, each node seeding its gossip with the other two', () => {
    for (const node of ESDB_NODES) {
      expect(named(node).image).toBe(named('eventstore').image);
      const settings = env(node);
      expect(settings.EVENTSTORE_CLUSTER_SIZE).toBe('3');
      expect(settings.EVENTSTORE_DISCOVER_VIA_DNS).toBe('false');
      // Insecure exactly as the single node is.
      expect(settings.EVENTSTORE_INSECURE).toBe(env('eventstore').EVENTSTORE_INSECURE);
      const seeds = settings.EVENTSTORE_GOSSIP_SEED.split(',').map((seed) => seed.split(':')[0]);
      expect(seeds.sort()).toEqual(ESDB_NODES.filter((other) => other !== node));
      expect(settings.EVENTSTORE_NODE_HOST_ADVERTISE_AS).toBe(node);
      expect(named(node).volumes).toEqual([`${node}-data:/var/lib/eventstore`]);
    }
  });

  it('runs a 3-member MongoDB replica set with one shared key file, initiated once by an init service', () => {
    const replicaSets = MONGO_MEMBERS.map((member) => {
      const { command = [], volumes = [], depends_on } = named(member);
      expect(named(member).image).toBe(named('mongo').image);
      expect(command[command.indexOf('--keyFile') + 1]).toBe('/keyfile/keyfile');
      expect(volumes).toContain('cluster-mongo-keyfile:/keyfile:ro');
      expect(depends_on?.['cluster-mongo-keyfile']).toEqual({ condition: 'service_completed_successfully' });
      return command[command.indexOf('--replSet') + 1];
    });
    expect(new Set(replicaSets)).toEqual(new Set(['rs-cluster']));
    // The root user on the first member only: rs.initiate refuses members that hold data.
    expect(MONGO_MEMBERS.filter((member) => env(member).MONGO_INITDB_ROOT_USERNAME)).toEqual(['cluster-mongo-1']);

    const init = named('cluster-mongo-init');
    const script = (init.entrypoint ?? []).join('\n');
    expect(script).toContain("rs.initiate({_id: 'rs-cluster'");
    for (const member of MONGO_MEMBERS) expect(script).toContain(`host: '${member}:27017'`);
    expect(script).toContain("e.codeName !== 'NotYetInitialized'");
    expect(script).toContain('db.hello().primary');
    expect(script).toContain('--file /deploy/create-users.js');
    expect(init.depends_on).toEqual(Object.fromEntries(MONGO_MEMBERS.map((m) => [m, { condition: 'service_healthy' }])));
    expect(compose.volumes).toHaveProperty('cluster-mongo-keyfile');
  });

  it('points every app of the profile at all three nodes and members, and at the replica set by name', () => {
    for (const app of [...APIS, ...PROJECTORS]) {
      const settings = env(app);
      expect(hostsOf(settings.ESDB_URL).sort()).toEqual(ESDB_NODES.map((node) => `${node}:2113`));
      const urls = ['MONGO_URL', 'MONGO_KEYS_URL', ...(APIS.includes(app) ? ['MONGO_ACCESS_LOG_URL'] : [])];
      for (const key of urls) {
        expect(hostsOf(settings[key]).sort()).toEqual(MONGO_MEMBERS.map((member) => `${member}:27017`));
        expect(new URL(settings[key].replace(/@[^/]+/, '@host')).searchParams.get('replicaSet')).toBe('rs-cluster');
      }
      expect(settings.RUN_PROJECTIONS).toBe('false');
      expect(named(app).depends_on).toMatchObject({
        ...Object.fromEntries(ESDB_NODES.map((node) => [node, { condition: 'service_healthy' }])),
        'cluster-mongo-init': { condition: 'service_completed_successfully' },
      });
    }
    // Same users and databases as the single-node stack: only the hosts and the set differ.
    expect(
      env('cluster-api-1')
        .MONGO_URL.replace(/@.*\//, '@/')
        .replace(/replicaSet=[^&]+/, ''),
    ).toBe(
      env('api')
        .MONGO_URL.replace(/@.*\//, '@/')
        .replace(/replicaSet=[^&]+/, ''),
    );
  });

  it('has two API instances without published ports behind one proxy that health-checks them on /health', () => {
    for (const api of APIS) {
      expect(named(api).build).toBe('.');
      expect(named(api).ports).toBeUndefined();
    }
    // The nightly retention run in one of them only.
    expect(APIS.map((api) => env(api).RUN_RETENTION ?? 'true')).toEqual(['true', 'false']);

    const proxy = named('cluster-proxy');
    expect(Object.keys(proxy.depends_on ?? {}).sort()).toEqual(APIS);
    expect(proxy.volumes).toEqual(['./deploy/proxy/Caddyfile:/etc/caddy/Caddyfile:ro']);
    expect(proxy.healthcheck?.test?.join(' ')).toContain('/health');
    const caddyfile = readFileSync(resolve(root, 'deploy/proxy/Caddyfile'), 'utf8');
    expect(/reverse_proxy ([^{]+)\{/.exec(caddyfile)?.[1].trim().split(/\s+/)).toEqual(APIS.map((api) => `${api}:3000`));
    expect(caddyfile).toMatch(/^\s*health_uri \/health$/m);
    expect(caddyfile).toMatch(/^\s*health_status 2xx$/m);
  });

  it('has two identical projectors, the second standing by through the lease', () => {
    const [first, second] = PROJECTORS.map(named);
    expect(first).toEqual(second);
    expect(first.command).toEqual(named('projector').command);
  });

  it('gives every long-running service of the profile a health check, and the one-shot services a restart on failure', () => {
    const oneShot = ['cluster-mongo-keyfile', 'cluster-mongo-init'];
    for (const name of clusterServices.filter((n) => !oneShot.includes(n))) {
      const { healthcheck } = named(name);
      // The projectors have no HTTP port (as the single-node projector); the API's check is the image's HEALTHCHECK.
      if (PROJECTORS.includes(name)) expect(healthcheck).toEqual({ disable: true });
      else if (APIS.includes(name)) expect(healthcheck).toBeUndefined();
      else expect(healthcheck?.test?.length).toBeGreaterThan(0);
      expect({ name, restart: (named(name) as { restart?: string }).restart }).toEqual({ name, restart: 'unless-stopped' });
    }
    for (const name of oneShot) expect((named(name) as { restart?: string }).restart).toBe('on-failure');
    expect(readFileSync(resolve(root, 'Dockerfile'), 'utf8')).toMatch(/^HEALTHCHECK .*\/health/m);
  });

  it('leaves the default services as the single-node stack: no profile, no reference to the cluster, no shared host port', () => {
    expect(defaultServices.sort()).toEqual(['api', 'eventstore', 'keycloak', 'mongo', 'mongo-users', 'projector']);
    for (const name of defaultServices) {
      const text = JSON.stringify(named(name));
      expect({ name, mentionsCluster: text.includes('cluster-') }).toEqual({ name, mentionsCluster: false });
    }
    expect(env('eventstore').EVENTSTORE_CLUSTER_SIZE).toBe('1');
    expect(env('api').ESDB_URL).toBe('esdb://eventstore:2113?tls=false');
    expect(named('api').ports).toEqual(['3000:3000']);
    const hostPorts = (names: string[]) => names.flatMap((name) => (named(name).ports ?? []).map((port) => port.split(':')[0]));
    const taken = new Set(hostPorts(defaultServices));
    expect(hostPorts(clusterServices).filter((port) => taken.has(port))).toEqual([]);
    expect(hostPorts(clusterServices)).toEqual(['3001']);
    // Each cluster service depends only on the profile's services and the shared Keycloak.
    for (const name of clusterServices)
      for (const dependency of Object.keys(named(name).depends_on ?? {}))
        expect({ name, dependency, allowed: inCluster(dependency) || dependency === 'keycloak' }).toEqual({
          name,
          dependency,
          allowed: true,
        });
  });
});

/** `docker compose … config -q` validates the file as the engine would read it; only where a client exists. */
const composeClient = (() => {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!composeClient) process.stderr.write('docker compose is not installed here: `docker compose --profile cluster config -q` skipped\n');

(composeClient ? it : it.skip)('docker compose accepts the cluster profile', () => {
  expect(() => execFileSync('docker', ['compose', '-f', file, '--profile', 'cluster', 'config', '-q'], { stdio: 'pipe' })).not.toThrow();
});
