import { EventStoreDBClient } from '@eventstore/db-client';
import { loadSettings, openAccessLog, openEventStore, openKeyStore, openReadStore, type Settings } from '@wih/runtime';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { MongoClient } from 'mongodb';
import {
  checkAccessLog,
  checkEventStore,
  checkKeyStore,
  checkReadStore,
  messageOf,
  newSmokeRun,
  withDeadline,
  type CheckOutcome,
  type SmokeRun,
} from './smoke-checks';

/**
 * `smoke [--esdb <url>] [--mongo <url>]`: after `docker compose up`, proves the stores work as the
 * application uses them (the same adapters, opened the same way) and prints one line per store
 * with the server's version. Given a URL, only that server's stores are checked; given none, the
 * stores the environment configures (DATA_DIR, EVENT_STORE, READ_STORE, KEY_STORE).
 */
export interface SmokeOptions {
  readonly esdb?: string;
  readonly mongo?: string;
  readonly timeout?: string;
}

export interface SmokeIo {
  /** One line per store, as each finishes. */
  readonly line: (text: string) => void;
  /** The environment of the configured stores (used when neither URL is given). */
  readonly env: NodeJS.ProcessEnv;
}

const DEFAULT_STEP_TIMEOUT_MS = 10_000;

/** Connection strings may carry credentials: shown are the hosts only. */
export const hostsOf = (url: string): string => /^[a-z+]+:\/\/(?:[^@/?]*@)?([^/?]+)/i.exec(url)?.[1] ?? 'an invalid connection string';

/** Errors of some drivers quote the connection string: its password never reaches the output. */
const redacted = (text: string, url: string | undefined): string => {
  const password = url && /^[a-z+]+:\/\/[^:@/?]*:([^@/?]+)@/i.exec(url)?.[1];
  return password ? text.split(password).join('***') : text;
};

/** The server behind a store: its version (never throws) and where it is; its own connection is closed at the end. */
interface Server {
  readonly where: string;
  version(): Promise<string>;
  close(): Promise<void>;
}

function sqliteServer(dataDir: string): Server {
  return {
    where: dataDir,
    // The library's own SQLite, which every embedded store runs on.
    version: async () => {
      const db = new Database(':memory:');
      try {
        return `SQLite ${db.prepare<[], string>('SELECT sqlite_version()').pluck().get() ?? 'unknown'}`;
      } finally {
        db.close();
      }
    },
    close: async () => undefined,
  };
}

interface EsdbServer extends Server {
  /** Deletes the smoke stream (soft delete: the server scavenges its events). */
  removeStream(stream: string): Promise<string>;
}

function esdbServer(url: string, timeoutMs: number): EsdbServer {
  let client: EventStoreDBClient | undefined;
  const connected = () => (client ??= EventStoreDBClient.connectionString(url));
  return {
    where: hostsOf(url),
    version: async () => {
      try {
        // Client 6.2.1 learns the server's version from its capability call (ServerFeatures), but
        // declares that getter protected; no public call answers the version over gRPC.
        const features = (connected() as unknown as { capabilities: Promise<{ serverVersion: string }> }).capabilities;
        return `EventStoreDB ${(await withDeadline(features, timeoutMs)).serverVersion}`;
      } catch (error) {
        return `EventStoreDB (version unknown: ${redacted(messageOf(error), url)})`;
      }
    },
    removeStream: async (stream) => {
      await connected().deleteStream(stream);
      return `stream ${stream} deleted`;
    },
    close: async () => {
      await client?.dispose();
    },
  };
}

function mongoServer(url: string, timeoutMs: number): Server {
  let client: MongoClient | undefined;
  let version: Promise<string> | undefined;
  const lookUp = async (): Promise<string> => {
    try {
      // The adapters' own default: without a server the driver would wait 30 s.
      client = new MongoClient(url, /[?&]serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: 5000 });
      const info = await withDeadline(client.db('admin').command({ buildInfo: 1 }), timeoutMs);
      const ferret = typeof info['ferretdbVersion'] === 'string' ? ` (FerretDB ${info['ferretdbVersion']})` : '';
      return `MongoDB ${String(info['version'])}${ferret}`;
    } catch (error) {
      return `MongoDB (version unknown: ${redacted(messageOf(error), url)})`;
    }
  };
  return {
    where: hostsOf(url),
    version: () => (version ??= lookUp()),
    close: async () => {
      await client?.close();
    },
  };
}

/** Opens the store, runs its check, closes it; any error becomes the check's failure. */
async function smokeStore<S extends { close(): Promise<void> }>(
  run: SmokeRun,
  url: string | undefined,
  open: () => S,
  check: (store: S) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  let store: S | undefined;
  try {
    store = open();
    return await check(store);
  } catch (error) {
    return { passed: [], failure: { step: 'open', message: redacted(messageOf(error), url) }, notes: [] };
  } finally {
    await withDeadline(store?.close() ?? Promise.resolve(), run.stepTimeoutMs).catch(() => undefined);
  }
}

export const formatLine = (store: string, version: string, where: string, outcome: CheckOutcome, url?: string): string => {
  const notes = outcome.notes.map((note) => `; ${note}`).join('');
  const detail = outcome.failure
    ? `${outcome.failure.step} failed: ${redacted(outcome.failure.message, url)}${outcome.passed.length ? ` (passed: ${outcome.passed.join(', ')})` : ''}`
    : outcome.passed.join(', ');
  return `${store}: ${outcome.failure ? 'FAILED' : 'ok'} — ${version} at ${where} — ${detail}${notes}`;
};

/** The settings of the stores to check: those of the URLs given, else the environment's. */
const settingsOf = (options: SmokeOptions, env: NodeJS.ProcessEnv): Settings =>
  options.esdb === undefined && options.mongo === undefined
    ? loadSettings(env)
    : loadSettings({
        ...(options.esdb !== undefined && { EVENT_STORE: 'eventstoredb', ESDB_URL: options.esdb }),
        ...(options.mongo !== undefined && { READ_STORE: 'mongodb', KEY_STORE: 'mongodb', MONGO_URL: options.mongo }),
      });

const timeoutOf = (value: string | undefined): number => {
  const ms = Number(value ?? DEFAULT_STEP_TIMEOUT_MS);
  if (!Number.isInteger(ms) || ms < 1) throw new Error(`--timeout must be a whole number of milliseconds (got "${value}")`);
  return ms;
};

/** Runs the checks and prints their lines; answers the exit code (1 when any store failed). */
export async function runSmoke(options: SmokeOptions, io: SmokeIo): Promise<number> {
  const run = newSmokeRun(timeoutOf(options.timeout));
  const settings = settingsOf(options, io.env);
  const all = options.esdb === undefined && options.mongo === undefined;
  const esdbUrl = settings.eventStore === 'eventstoredb' ? settings.esdbUrl : undefined;
  const mongoUrl = settings.readStore === 'mongodb' || settings.keyStore === 'mongodb' ? settings.mongoUrl : undefined;
  const sqlite = sqliteServer(settings.dataDir);
  const esdb = esdbUrl ? esdbServer(esdbUrl, run.stepTimeoutMs) : undefined;
  // One server behind the read store, the key store and the access log: its version is asked once.
  const mongo = mongoUrl ? mongoServer(mongoUrl, run.stepTimeoutMs) : undefined;
  const on = (kind: 'sqlite' | 'mongodb') =>
    kind === 'mongodb' && mongo ? { server: mongo, url: mongoUrl } : { server: sqlite, url: undefined };

  let failed = false;
  const report = async (store: string, { server, url }: { server: Server; url?: string }, outcome: Promise<CheckOutcome>) => {
    const done = await outcome;
    failed ||= done.failure !== undefined;
    io.line(formatLine(store, await server.version(), server.where, done, url));
  };
  try {
    if (all || options.esdb !== undefined) {
      await report(
        'event store',
        esdb ? { server: esdb, url: esdbUrl } : { server: sqlite },
        smokeStore(
          run,
          esdbUrl,
          () => openEventStore(settings),
          (store) => checkEventStore(store, run, esdb?.removeStream),
        ),
      );
    }
    if (all || options.mongo !== undefined) {
      const reads = on(settings.readStore);
      const keys = on(settings.keyStore);
      await report(
        'read store',
        reads,
        smokeStore(
          run,
          reads.url,
          () => openReadStore(settings),
          (store) => checkReadStore(store, run),
        ),
      );
      await report(
        'key store',
        keys,
        smokeStore(
          run,
          keys.url,
          () => openKeyStore(settings),
          (store) => checkKeyStore(store, run),
        ),
      );
      // The access log follows READ_STORE.
      await report(
        'access log',
        reads,
        smokeStore(
          run,
          reads.url,
          () => openAccessLog(settings),
          (store) => checkAccessLog(store, run),
        ),
      );
    }
  } finally {
    await Promise.all([esdb, mongo].map((server) => server && withDeadline(server.close(), run.stepTimeoutMs).catch(() => undefined)));
  }
  return failed ? 1 : 0;
}

/** Adds `smoke` to the program; `exit` receives the exit code. */
export function smokeCommand(program: Command, io: SmokeIo & { readonly exit: (code: number) => void }): void {
  program
    .command('smoke')
    .description(
      'smoke test of the stores (after docker compose up): append, read back, subscribe, project, query, erase a key; one line per store',
    )
    .option('--esdb <url>', 'check this EventStoreDB (e.g. esdb://localhost:2113?tls=false)')
    .option(
      '--mongo <url>',
      'check this MongoDB: read store, key store, access log (e.g. mongodb://localhost:27017/wohnintegrationshilfe?directConnection=true)',
    )
    .option('--timeout <ms>', 'how long each step may wait for an answer', String(DEFAULT_STEP_TIMEOUT_MS))
    .action(async (options: SmokeOptions) => io.exit(await runSmoke(options, io)));
}
