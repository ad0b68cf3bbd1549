import { MongoAccessLog, openSqliteAccessLog } from '@wih/access-log';
import { migrateStores, type MigrationProgress, type MigrationReport, type MigrationTarget, type SideFacts } from '@wih/application';
import { EsdbEventStore, PRIVATE_FILE_MODE, SqliteEventStore } from '@wih/event-store';
import { GENERATED_KEK_FILE, MongoKeyStore, openSqliteKeyStore, type KeyWrapper } from '@wih/key-store';
import { MongoReadStore, openSqliteReadStore } from '@wih/read-store';
import {
  ACCESS_LOG_DATABASE,
  KEYS_DATABASE,
  keyWrapperOf,
  loadSettings,
  openAccessLog,
  openKeyStore,
  openRawEventStore,
  withDatabase,
  type Settings,
} from '@wih/runtime';
import type { Command } from 'commander';
import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EVENT_LOG_FILE } from './backup';

/** Where the log goes: an EventStoreDB, or an embedded log file (`events.sqlite` of the target's data directory). */
export type EventStoreTarget = { readonly kind: 'eventstoredb'; readonly url: string } | { readonly kind: 'sqlite'; readonly file: string };

export class MigrationTargetError extends Error {}

export function parseEventStoreTarget(text: string): EventStoreTarget {
  if (/^esdb(\+discover)?:\/\//.test(text)) return { kind: 'eventstoredb', url: text };
  if (text.startsWith('sqlite:')) {
    const file = resolve(text.slice('sqlite:'.length));
    if (basename(file) !== EVENT_LOG_FILE)
      throw new MigrationTargetError(
        `--to-event-store sqlite:<file> names the ${EVENT_LOG_FILE} of the target's data directory (got ${basename(file)})`,
      );
    return { kind: 'sqlite', file };
  }
  throw new MigrationTargetError('--to-event-store takes an EventStoreDB URL (esdb://host:2113?tls=false) or sqlite:<dir>/events.sqlite');
}

export interface OpenedTarget {
  readonly target: MigrationTarget;
  /** What the target installation is configured with afterwards. */
  readonly describe: string;
  readonly close: () => Promise<void>;
}

/**
 * The target stores: the log where --to-event-store says; keys, access log and read store on
 * MongoDB (--to-mongo, each in its own database as the production stack has them) or, for an
 * embedded log without --to-mongo, beside it. The keys stay wrapped under the source's KEK.
 */
export function openTarget(settings: Settings, events: EventStoreTarget, mongoUrl: string | undefined, wrapper: KeyWrapper): OpenedTarget {
  if (events.kind === 'eventstoredb' && !mongoUrl)
    throw new MigrationTargetError('an EventStoreDB target needs --to-mongo <url> for the keys, the access log and the read models');
  const targetDir = events.kind === 'sqlite' ? dirname(events.file) : undefined;
  if (targetDir && settings.eventStore === 'sqlite' && resolve(settings.dataDir) === targetDir)
    throw new MigrationTargetError(`the target ${join(targetDir, EVENT_LOG_FILE)} is the source's own log: migrate into another directory`);
  if (events.kind === 'eventstoredb' && settings.eventStore === 'eventstoredb' && settings.esdbUrl === events.url)
    throw new MigrationTargetError('the target EventStoreDB is the source itself');
  // Durability `normal` while copying: a commit lost to a power cut is copied again by the rerun.
  const log = events.kind === 'sqlite' ? new SqliteEventStore(events.file, { durability: 'normal' }) : new EsdbEventStore(events.url);
  const keys = mongoUrl
    ? new MongoKeyStore(withDatabase('--to-mongo', mongoUrl, KEYS_DATABASE), undefined, { wrapper })
    : openSqliteKeyStore(targetDir as string, { wrapper });
  const accessLog = mongoUrl
    ? new MongoAccessLog(withDatabase('--to-mongo', mongoUrl, ACCESS_LOG_DATABASE))
    : openSqliteAccessLog(targetDir as string);
  const reads = mongoUrl ? new MongoReadStore(mongoUrl) : openSqliteReadStore(targetDir as string);
  const describe = [
    events.kind === 'sqlite' ? `DATA_DIR=${targetDir} (EVENT_STORE=sqlite)` : `EVENT_STORE=eventstoredb ESDB_URL=${events.url}`,
    mongoUrl ? 'READ_STORE=mongodb KEY_STORE=mongodb MONGO_URL=<the --to-mongo URL>' : 'READ_STORE=sqlite KEY_STORE=sqlite',
  ].join(' ');
  return {
    target: { events: log, keys, accessLog, reads },
    describe,
    close: async () => {
      await Promise.all([log.close(), keys.close(), accessLog.close(), reads.close()]);
    },
  };
}

/**
 * The development KEK is a file in the source's DATA_DIR: an embedded target gets a copy (its keys
 * are wrapped under it). A target that has another one is refused before anything is copied.
 */
function carryGeneratedKek(settings: Settings, events: EventStoreTarget, mongoUrl: string | undefined): string | null {
  if (settings.keyEncryption.source !== 'generated') return null;
  const source = settings.keyEncryption.file;
  if (events.kind !== 'sqlite' || mongoUrl)
    return `the keys are wrapped under the development key-encryption key ${source}: configure the target with KEY_ENCRYPTION_KEY_FILE=${source} (or its content as KEY_ENCRYPTION_KEY)`;
  const copy = join(dirname(events.file), GENERATED_KEK_FILE);
  if (!existsSync(copy)) {
    copyFileSync(source, copy);
    chmodSync(copy, PRIVATE_FILE_MODE);
    return null;
  }
  if (readFileSync(copy, 'utf8').trim() !== readFileSync(source, 'utf8').trim())
    throw new MigrationTargetError(`${copy} holds another key-encryption key than the source's ${source}: nothing copied`);
  return null;
}

const sideLine = (name: string, facts: SideFacts): string => {
  const categories = Object.entries(facts.eventsByCategory)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([category, n]) => `${category} ${n}`)
    .join(', ');
  return (
    `${name.padEnd(6)} ${facts.events} events in ${facts.streams} streams (${categories || 'none'}), log sha256 ${facts.logSha256}; ` +
    `${facts.keys.records} key records sha256 ${facts.keys.sha256}; ${facts.accessLog.entries} access-log entries sha256 ${facts.accessLog.sha256}`
  );
};

/** Stream names, counts and digests only: no personal data. */
export function formatMigration(report: MigrationReport): string {
  const { copied } = report;
  const lines = [
    report.resumedAfter
      ? `resumed after ${report.resumedAfter.stream}@${report.resumedAfter.revision} (the target's last event)`
      : 'started on an empty target log',
    `copied ${copied.events} events (${copied.sealed} schema-1 personal parts sealed, ${copied.dropped} of erased households dropped), ` +
      `${copied.keys.added} key records (${copied.keys.destroyed} destroyed on the target, ${copied.keys.unchanged} already there; ${copied.keysCreated} created for sealing), ` +
      `${copied.accessEntries} access-log entries`,
    sideLine('source', report.source),
    sideLine('target', report.target),
  ];
  if (report.differences.length === 0)
    lines.push(`verified: all ${report.source.streams} streams have the same count and digest on both sides`);
  else {
    lines.push(`NOT VERIFIED: ${report.differences.length} difference(s); the migration did not succeed:`);
    lines.push(...report.differences.slice(0, 50).map((difference) => `  ${difference}`));
    if (report.differences.length > 50) lines.push(`  … and ${report.differences.length - 50} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** Every stream's count and digest on both sides, tab-separated (for the record of the migration). */
export function digestTable(report: MigrationReport): string {
  const names = [...new Set([...report.source.digests.keys(), ...report.target.digests.keys()])].sort();
  const rows = names.map((name) => {
    const [s, t] = [report.source.digests.get(name), report.target.digests.get(name)];
    return [name, s?.events ?? '', s?.sha256 ?? '', t?.events ?? '', t?.sha256 ?? ''].join('\t');
  });
  return ['stream\tsource events\tsource sha256\ttarget events\ttarget sha256', ...rows].join('\n') + '\n';
}

export interface MigrateIo {
  readonly write: (text: string) => void;
  readonly progress?: () => MigrationProgress;
  readonly env?: NodeJS.ProcessEnv;
}

export interface MigrateOptions {
  readonly toEventStore: string;
  readonly toMongo?: string;
  readonly digests?: string;
}

/** The command's work; resolves to the exit code (1 when the two sides differ). */
export async function runMigration(options: MigrateOptions, io: MigrateIo): Promise<number> {
  const settings = loadSettings(io.env ?? process.env);
  const events = parseEventStoreTarget(options.toEventStore);
  // First: a development KEK file is generated on first use, and only then can it be carried over.
  const wrapper = keyWrapperOf(settings.keyEncryption);
  const kekNote = carryGeneratedKek(settings, events, options.toMongo);
  const source = { events: openRawEventStore(settings), keys: openKeyStore(settings), accessLog: openAccessLog(settings) };
  let opened: OpenedTarget | undefined;
  try {
    opened = openTarget(settings, events, options.toMongo, wrapper);
    const report = await migrateStores(source, opened.target, { progress: io.progress?.() });
    io.write(formatMigration(report));
    if (options.digests) writeFileSync(options.digests, digestTable(report), { mode: PRIVATE_FILE_MODE });
    if (report.differences.length > 0) return 1;
    io.write(
      `next: start the installation on the target (${opened.describe}); its projector builds every read model from the target log on its first start (empty read store)\n`,
    );
    if (kekNote) io.write(`${kekNote}\n`);
    return 0;
  } finally {
    await Promise.all([source.events.close(), source.keys.close(), source.accessLog.close(), opened?.close()]);
  }
}

/** `migrate --to-event-store <esdb url | sqlite:<file>> [--to-mongo <url>] [--digests <file>]` from the stores the environment configures. */
export function migrateCommand(program: Command, io: MigrateIo & { readonly exit: (code: number) => void }): void {
  program
    .command('migrate')
    .description(
      'copy the event log, the keys (still wrapped) and the access log into other stores, resumable, and verify both sides (API stopped or read-only)',
    )
    .requiredOption('--to-event-store <target>', 'an EventStoreDB URL (esdb://…) or sqlite:<dir>/events.sqlite')
    .option(
      '--to-mongo <url>',
      'MongoDB for the keys (wih_keys), the access log (wih_access_log) and the read models; needed with EventStoreDB',
    )
    .option('--digests <file>', "write every stream's count and digest on both sides to this file")
    .action(async (options: MigrateOptions) => io.exit(await runMigration(options, io)));
}
