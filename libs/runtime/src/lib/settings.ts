import type { RetentionPeriods } from '@wih/domain';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { keyEncryptionSettings, KeyEncryptionSettingsError, type KeyEncryptionSettings } from './key-encryption';

/** Configuration from the environment (API.md "Configuration"), read once at start-up. */
export interface Settings {
  readonly port: number;
  /** The address the API listens on (HOST): loopback unless an operator opens it (the Docker image: 0.0.0.0). */
  readonly host: string;
  readonly dataDir: string;
  /**
   * READ_DIR (default DATA_DIR): the directory of the embedded read store (`read.sqlite`, its
   * WAL and lease locks), e.g. on another disk than the event log, so that a rebuild's writes do
   * not queue the commands' fsyncs (decision 0052). It holds personal data like DATA_DIR.
   */
  readonly readDir: string;
  readonly eventStore: 'sqlite' | 'eventstoredb';
  readonly esdbUrl?: string;
  readonly readStore: 'sqlite' | 'mongodb';
  /** The read store's MongoDB (READ_STORE=mongodb). */
  readonly mongoUrl?: string;
  /** The key store's MongoDB (KEY_STORE=mongodb): MONGO_KEYS_URL, or MONGO_URL with the database `wih_keys`. */
  readonly mongoKeysUrl?: string;
  /**
   * The read store's database when mongoKeysUrl was derived from MONGO_URL: where earlier versions
   * kept the keys. The key store refuses to start empty while keys are still there.
   */
  readonly mongoKeysFormerDb?: string;
  /** The access log's MongoDB (READ_STORE=mongodb): MONGO_ACCESS_LOG_URL, or MONGO_URL with the database `wih_access_log`. */
  readonly mongoAccessLogUrl?: string;
  /** HS256 secret; undefined means "generate one into dataDir on first start". */
  readonly jwtSecret?: string;
  /** Production token verification (decision 0011); set, tokens of this issuer are the only ones accepted. */
  readonly oidc?: OidcSettings;
  readonly production: boolean;
  /**
   * The internal listener (INTERNAL_PORT, INTERNAL_HOST): when set, /metrics and the OpenAPI
   * viewer and document are served there only. Production has one by default.
   */
  readonly internal?: { readonly port: number; readonly host: string };
  readonly logLevel: string;
  /** Run the projections in this process (default on; production runs apps/projector instead). */
  readonly runProjections: boolean;
  /** Where the personal-data keys live: `keys.sqlite` in dataDir, or a MongoDB collection. */
  readonly keyStore: 'sqlite' | 'mongodb';
  /** How long personal data is kept after a case's closing / rejection. */
  readonly retention: RetentionPeriods;
  /** Run the daily retention job in this process. */
  readonly runRetention: boolean;
  /** Threads a rebuild folds the log on (REBUILD_THREADS, default: the cores available; 1: the runner's own thread only). */
  readonly rebuildThreads: number;
  /** Evaluations replayed at once, each on a thread of its own, and how many more may wait (decision 0019). */
  readonly evaluation: EvaluationSettings;
  /** Requests per user and window (decision 0019); undefined: no limit. */
  readonly rateLimits: RateLimitSettings;

  // --- Key-encryption key of the data keys (key-encryption.ts) ---
  readonly keyEncryption: KeyEncryptionSettings;
}

export interface EvaluationSettings {
  /** EVALUATION_THREADS (default 1): evaluations replayed at the same time. */
  readonly threads: number;
  /** EVALUATION_QUEUE (default 4): evaluations waiting for a thread; one more is refused (503 `evaluation-busy`). */
  readonly queue: number;
  /** EVALUATION_REFRESH_MS (default 1000): the pause between two refreshes of the live facts and their kept figures (decision 0047). */
  readonly refreshMs: number;
}

/** At most `limit` requests per user in a window of `windowMs`. */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateLimitSettings {
  /** RATE_LIMIT (default 600/60s): commands, queries, operations. */
  readonly api?: RateLimit;
  /** RATE_LIMIT_EVALUATION (default 10/60s): the evaluation routes, each a replay of the whole log. */
  readonly evaluation?: RateLimit;
}

const WINDOW_UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `600/60s`, `10/1m`, `1000/1h`, or `off`. */
export const parseRateLimit = (name: string, value: string): RateLimit | undefined => {
  if (value.trim().toLowerCase() === 'off') return undefined;
  const match = /^(\d{1,7})\/(\d{1,5})([smh])$/.exec(value.trim());
  const limit = Number(match?.[1]);
  const windowMs = Number(match?.[2]) * WINDOW_UNITS_MS[(match?.[3] ?? 's') as keyof typeof WINDOW_UNITS_MS];
  if (!match || limit < 1 || windowMs < 1000) {
    throw new SettingsError(`${name} must be requests per window like 600/60s, 10/1m or 1000/1h, or off (got "${value}")`);
  }
  return { limit, windowMs };
};

const wholeNumber = (name: string, value: string | undefined, fallback: number, min: number, max: number): number => {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new SettingsError(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
};

export interface OidcSettings {
  readonly issuer: string;
  /** Where the discovery document is fetched; default `<issuer>/.well-known/openid-configuration`. */
  readonly discoveryUrl: string;
  /** `aud` must contain it (AUTH_OIDC_AUDIENCE); required in production, else tokens for any client of the realm pass. */
  readonly audience?: string;
  /** Dotted path of the roles claim, e.g. `realm_access.roles` (Keycloak). */
  readonly rolesClaim: string;
  /** The web UI's client id at the provider (AUTH_OIDC_CLIENT_ID, default `wih-web`). */
  readonly clientId: string;
  /**
   * The clients whose tokens are accepted (`azp` must be one): AUTH_OIDC_AUTHORIZED_PARTIES, else an
   * explicitly set AUTH_OIDC_CLIENT_ID; undefined, `azp` is not checked.
   */
  readonly authorizedParties?: readonly string[];
}

/** `6y`, `18m` (calendar years or months) or ISO 8601 `P6Y`, `P18M`: a whole number of months. */
export const parsePeriodMonths = (name: string, value: string): number => {
  const match = /^P?(\d{1,3})([YM])$/i.exec(value.trim());
  if (!match) throw new SettingsError(`${name} must be a period like 6y, 18m or P6Y (got "${value}")`);
  const months = Number(match[1]) * (match[2].toUpperCase() === 'Y' ? 12 : 1);
  if (months < 1) throw new SettingsError(`${name} must be at least one month (got "${value}")`);
  return months;
};

export class SettingsError extends Error {}

/**
 * NODE_ENV names production: `production` or `prod`, in any case. Whatever else an operator
 * writes there is not production, so the check must not be narrower than what people type.
 */
export const isProductionEnv = (nodeEnv: string | undefined): boolean => /^\s*(production|prod)\s*$/i.test(nodeEnv ?? '');

/**
 * The databases of the keys and of the access log, each apart from the read store's: MongoDB adds
 * up a user's privileges per database, so only separate databases let each have a user of its
 * own with just what it needs (docs/operations.md "MongoDB users").
 */
export const KEYS_DATABASE = 'wih_keys';
export const ACCESS_LOG_DATABASE = 'wih_access_log';
/** The read store's database when MONGO_URL names none (MongoReadStore's default). */
const READ_STORE_DEFAULT_DB = 'wohnintegrationshilfe';

const MONGO_URL_PARTS = /^(mongodb(?:\+srv)?:\/\/)([^/?]+)(?:\/([^?]*))?(?:\?(.*))?$/;

const mongoUrlParts = (name: string, value: string): RegExpExecArray => {
  const parts = MONGO_URL_PARTS.exec(value);
  if (!parts) throw new SettingsError(`${name} must be a mongodb:// or mongodb+srv:// URL`);
  return parts;
};

/** The database a MongoDB URL names, if any. */
export const databaseOf = (name: string, url: string): string | undefined => {
  const database = mongoUrlParts(name, url)[3];
  return database ? decodeURIComponent(database) : undefined;
};

/**
 * `url` with another database. Credentials go on authenticating where they did: without
 * `authSource` the driver authenticates against the URL's database, so the old one (or `admin`,
 * the default without one) is named explicitly.
 */
export const withDatabase = (name: string, url: string, database: string): string => {
  const [, scheme, hosts, oldDatabase, query] = mongoUrlParts(name, url);
  const options = query ? query.split('&').filter((option) => option !== '') : [];
  if (hosts.includes('@') && !options.some((option) => /^authSource=/i.test(option))) {
    options.push(`authSource=${oldDatabase || 'admin'}`);
  }
  return `${scheme}${hosts}/${encodeURIComponent(database)}${options.length > 0 ? `?${options.join('&')}` : ''}`;
};

const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
  const v = (value ?? fallback) as T;
  if (!allowed.includes(v)) throw new SettingsError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return v;
};

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SettingsError(`PORT must be a port number (got "${env.PORT}")`);
  const eventStore = oneOf('EVENT_STORE', env.EVENT_STORE, ['sqlite', 'eventstoredb'] as const, 'sqlite');
  if (eventStore === 'eventstoredb' && !env.ESDB_URL)
    throw new SettingsError('EVENT_STORE=eventstoredb needs ESDB_URL (e.g. esdb://localhost:2113?tls=false)');
  const readStore = oneOf('READ_STORE', env.READ_STORE, ['sqlite', 'mongodb'] as const, 'sqlite');
  if (readStore === 'mongodb' && !env.MONGO_URL) throw new SettingsError('READ_STORE=mongodb needs MONGO_URL');
  const keyStore = oneOf('KEY_STORE', env.KEY_STORE, ['sqlite', 'mongodb'] as const, 'sqlite');
  if (keyStore === 'mongodb' && !env.MONGO_KEYS_URL && !env.MONGO_URL)
    throw new SettingsError('KEY_STORE=mongodb needs MONGO_KEYS_URL or MONGO_URL');
  if (env.MONGO_URL && (readStore === 'mongodb' || keyStore === 'mongodb')) mongoUrlParts('MONGO_URL', env.MONGO_URL);
  const keys = keyStore === 'mongodb' ? mongoKeys(env) : {};
  // The access log follows READ_STORE: on MongoDB when the read models are.
  const mongoAccessLogUrl = readStore === 'mongodb' ? ownDatabase(env, 'MONGO_ACCESS_LOG_URL', ACCESS_LOG_DATABASE) : undefined;
  const retention: RetentionPeriods = {
    afterCloseMonths: parsePeriodMonths('RETENTION_AFTER_CLOSE', env.RETENTION_AFTER_CLOSE ?? '6y'),
    afterRejectionMonths: parsePeriodMonths('RETENTION_AFTER_REJECTION', env.RETENTION_AFTER_REJECTION ?? '1y'),
  };
  const production = isProductionEnv(env.NODE_ENV);
  const host = (env.HOST ?? '').trim() || '127.0.0.1';
  if (production && !env.AUTH_JWT_SECRET && !env.AUTH_OIDC_ISSUER) {
    throw new SettingsError(
      'NODE_ENV=production needs AUTH_OIDC_ISSUER or AUTH_JWT_SECRET: a generated development secret is not allowed in production',
    );
  }
  // RFC 7518 3.2: at least the hash's 256 bits; a short secret can be guessed offline from any token.
  if (env.AUTH_JWT_SECRET && Buffer.byteLength(env.AUTH_JWT_SECRET, 'utf8') < 32) {
    throw new SettingsError('AUTH_JWT_SECRET must be at least 32 bytes (e.g. openssl rand -base64 32)');
  }
  const oidc = oidcSettings(env);
  // Without an audience, an access token the realm issued to any other client would pass.
  if (production && oidc && !oidc.audience) {
    throw new SettingsError(
      'production with AUTH_OIDC_ISSUER needs AUTH_OIDC_AUDIENCE (the audience the issuer puts into access tokens for this API, e.g. wih-api)',
    );
  }
  const rebuildThreads = Number(env.REBUILD_THREADS ?? availableParallelism());
  if (!Number.isInteger(rebuildThreads) || rebuildThreads < 1 || rebuildThreads > 64) {
    throw new SettingsError(`REBUILD_THREADS must be a whole number from 1 to 64 (got "${env.REBUILD_THREADS}")`);
  }
  const dataDir = resolve(env.DATA_DIR ?? './data');
  return {
    port,
    host,
    dataDir,
    readDir: env.READ_DIR === undefined ? dataDir : resolve(env.READ_DIR),
    eventStore,
    esdbUrl: env.ESDB_URL,
    readStore,
    mongoUrl: env.MONGO_URL,
    ...keys,
    mongoAccessLogUrl,
    jwtSecret: env.AUTH_JWT_SECRET || undefined,
    oidc,
    production,
    internal: internalListener(env, production),
    logLevel: env.LOG_LEVEL ?? 'info',
    runProjections: (env.RUN_PROJECTIONS ?? 'true') !== 'false',
    keyStore,
    retention,
    runRetention: (env.RUN_RETENTION ?? 'true') !== 'false',
    rebuildThreads,
    evaluation: {
      threads: wholeNumber('EVALUATION_THREADS', env.EVALUATION_THREADS, 1, 1, 16),
      queue: wholeNumber('EVALUATION_QUEUE', env.EVALUATION_QUEUE, 4, 0, 100),
      refreshMs: wholeNumber('EVALUATION_REFRESH_MS', env.EVALUATION_REFRESH_MS, 1000, 100, 600_000),
    },
    rateLimits: {
      api: parseRateLimit('RATE_LIMIT', env.RATE_LIMIT ?? '600/60s'),
      evaluation: parseRateLimit('RATE_LIMIT_EVALUATION', env.RATE_LIMIT_EVALUATION ?? '10/60s'),
    },
    // --- Key-encryption key of the data keys ---
    keyEncryption: keyEncryptionOf(env, production),
  };
}

/** The port Prometheus exporters conventionally use; production listens there on 127.0.0.1 unless told otherwise. */
export const DEFAULT_INTERNAL_PORT = 9464;

function internalListener(env: NodeJS.ProcessEnv, production: boolean): Settings['internal'] {
  const given = env.INTERNAL_PORT;
  if (given === undefined || given === '') {
    if (production) return { port: DEFAULT_INTERNAL_PORT, host: env.INTERNAL_HOST || '127.0.0.1' };
    if (env.INTERNAL_HOST) throw new SettingsError('INTERNAL_HOST needs INTERNAL_PORT (outside production)');
    return undefined;
  }
  const port = Number(given);
  if (!/^\d+$/.test(given) || port > 65535) throw new SettingsError(`INTERNAL_PORT must be a port number (got "${given}")`);
  return { port, host: env.INTERNAL_HOST || '127.0.0.1' };
}
// --- Key-encryption key of the data keys (key-encryption.ts) ---
const keyEncryptionOf = (env: NodeJS.ProcessEnv, production: boolean): KeyEncryptionSettings => {
  try {
    return keyEncryptionSettings(env, resolve(env.DATA_DIR ?? './data'), production);
  } catch (error) {
    if (error instanceof KeyEncryptionSettingsError) throw new SettingsError(error.message);
    throw error;
  }
};
// --- end of the key-encryption block ---

/** The URL in `name`, else MONGO_URL (validated, present) with a database of its own. */
const ownDatabase = (env: NodeJS.ProcessEnv, name: 'MONGO_KEYS_URL' | 'MONGO_ACCESS_LOG_URL', database: string): string => {
  const own = env[name];
  if (!own) return withDatabase('MONGO_URL', env.MONGO_URL as string, database);
  mongoUrlParts(name, own);
  return own;
};

function mongoKeys(env: NodeJS.ProcessEnv): Pick<Settings, 'mongoKeysUrl' | 'mongoKeysFormerDb'> {
  const mongoKeysUrl = ownDatabase(env, 'MONGO_KEYS_URL', KEYS_DATABASE);
  return env.MONGO_KEYS_URL
    ? { mongoKeysUrl }
    : { mongoKeysUrl, mongoKeysFormerDb: databaseOf('MONGO_URL', env.MONGO_URL as string) ?? READ_STORE_DEFAULT_DB };
}

const httpUrl = (name: string, value: string): URL => {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new SettingsError(`${name} must be an http(s) URL (got "${value}")`);
  return url;
};

function oidcSettings(env: NodeJS.ProcessEnv): OidcSettings | undefined {
  const issuer = env.AUTH_OIDC_ISSUER;
  if (!issuer) {
    for (const name of ['AUTH_OIDC_AUDIENCE', 'AUTH_OIDC_DISCOVERY_URL', 'AUTH_ROLES_CLAIM', 'AUTH_OIDC_AUTHORIZED_PARTIES'] as const) {
      if (env[name]) throw new SettingsError(`${name} needs AUTH_OIDC_ISSUER`);
    }
    return undefined;
  }
  // Two ways of verifying tokens at once would leave it unclear which tokens the API accepts.
  if (env.AUTH_JWT_SECRET) throw new SettingsError('set AUTH_OIDC_ISSUER or AUTH_JWT_SECRET, not both');
  httpUrl('AUTH_OIDC_ISSUER', issuer);
  const discoveryUrl = env.AUTH_OIDC_DISCOVERY_URL || `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  httpUrl('AUTH_OIDC_DISCOVERY_URL', discoveryUrl);
  const rolesClaim = env.AUTH_ROLES_CLAIM || 'roles';
  if (rolesClaim.split('.').some((part) => part === ''))
    throw new SettingsError(`AUTH_ROLES_CLAIM must be a claim name or a dotted path such as realm_access.roles (got "${rolesClaim}")`);
  const clientId = env.AUTH_OIDC_CLIENT_ID || 'wih-web';
  const parties = (env.AUTH_OIDC_AUTHORIZED_PARTIES ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const authorizedParties = parties.length > 0 ? parties : env.AUTH_OIDC_CLIENT_ID ? [clientId] : undefined;
  return {
    issuer,
    discoveryUrl,
    audience: env.AUTH_OIDC_AUDIENCE || undefined,
    rolesClaim,
    clientId,
    ...(authorizedParties ? { authorizedParties } : {}),
  };
}
