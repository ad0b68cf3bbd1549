import { completeInterruptedErasures, PersonalDataKeys, type Actor } from '@wih/application';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, SqliteEventStore } from '@wih/event-store';
import { KEY_STORE_FILE, mergeKeyFile } from '@wih/key-store';
import { loadSettings, openEventStore, openKeyStore, type Settings } from '@wih/runtime';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/**
 * Backup and restore of the embedded installation (decision 0032). The read store is left out on
 * purpose: it holds decrypted copies of personal data and is rebuilt from the log at the next start.
 */
export const EVENT_LOG_FILE = 'events.sqlite';
export const ACCESS_LOG_FILE = 'access-log.sqlite';
export const BACKED_UP_FILES = [EVENT_LOG_FILE, KEY_STORE_FILE, ACCESS_LOG_FILE] as const;
/** What a restore moves aside: the backed-up files and the read store (its checkpoints would be ahead of the restored log). */
const READ_STORE_FILE = 'read.sqlite';
const DATABASE_FILES = [...BACKED_UP_FILES, READ_STORE_FILE];
export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly format: 1;
  readonly product: { readonly name: string; readonly version: string };
  readonly takenAt: string;
  readonly files: readonly ManifestFile[];
  /** The log's head at the backup (a decimal string: positions are bigint) and the id of the event there. */
  readonly eventLog: { readonly headPosition: string; readonly headEventId: string | null; readonly events: number };
}

/** A backup or restore refused before anything was changed. */
export class BackupRefusedError extends Error {}

export interface BackupProgress {
  /** Called with the pages copied of all files so far and the total known so far. */
  readonly update: (done: number, total: number, file: string) => void;
  readonly stop: () => void;
}

const RESTORE_ACTOR: Actor = { userId: 'system:restore', role: 'admin' };

const sha256Of = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

const productOf = (): Manifest['product'] => {
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { name?: string; version?: string };
    return { name: pkg.name ?? 'unknown', version: pkg.version ?? 'unknown' };
  } catch {
    return { name: 'unknown', version: 'unknown' };
  }
};

/** Only the embedded stores are backed up here; the servers of the production stack have their own tools (docs/operations.md). */
function assertEmbedded(settings: Settings): void {
  const servers = [
    settings.eventStore !== 'sqlite' && 'EVENT_STORE',
    settings.keyStore !== 'sqlite' && 'KEY_STORE',
    settings.readStore !== 'sqlite' && 'READ_STORE (the access log follows it)',
  ].filter(Boolean);
  if (servers.length > 0)
    throw new BackupRefusedError(
      `${servers.join(', ')} name a server: back it up with its own tools (docs/operations.md, "Backups (production stack)")`,
    );
}

/**
 * A file is in use when another connection (any process, this one included) holds it open: an
 * exclusive lock then cannot be had. Never waits. A missing file is not in use.
 */
export function inUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new Database(file, { timeout: 0, fileMustExist: true });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

/** The head position, the id of the event there and the number of events of an event log file. */
function logFacts(file: string): Manifest['eventLog'] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const head = db.prepare<[], { position: bigint; id: string }>('SELECT position, id FROM events ORDER BY position DESC LIMIT 1').get();
    const count = db.prepare<[], { n: bigint }>('SELECT count(*) AS n FROM events').get();
    return { headPosition: String(head?.position ?? 0n), headEventId: head?.id ?? null, events: Number(count?.n ?? 0n) };
  } finally {
    db.close();
  }
}

/**
 * `backup <dir>`: every embedded file through its own connection with SQLite's online backup API,
 * safe while the API writes (WAL: the copy is the state of one read transaction). Each file is
 * copied in a single step: a step-wise copy restarts whenever another process commits between two
 * steps, and would never end under steady writes. The copies are switched to a rollback journal, so
 * each is one self-contained file (the stores switch back to WAL when they open it). The manifest
 * comes last: a backup without one is incomplete, and restore refuses it.
 */
export async function takeBackup(dataDir: string, target: string, progress?: BackupProgress): Promise<Manifest> {
  if (existsSync(target) && readdirSync(target).length > 0)
    throw new BackupRefusedError(`${target} is not empty: back up into a new or empty directory`);
  const present = BACKED_UP_FILES.filter((name) => existsSync(join(dataDir, name)));
  if (!present.includes(EVENT_LOG_FILE)) throw new BackupRefusedError(`no event log (${EVENT_LOG_FILE}) in the data directory ${dataDir}`);
  mkdirSync(target, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(target, PRIVATE_DIR_MODE);
  const totals = new Map<string, number>();
  const done = new Map<string, number>();
  const report = (file: string) =>
    progress?.update(
      [...done.values()].reduce((a, b) => a + b, 0),
      [...totals.values()].reduce((a, b) => a + b, 0),
      file,
    );
  const files: ManifestFile[] = [];
  try {
    for (const name of present) {
      const copy = join(target, name);
      const source = new Database(join(dataDir, name), { fileMustExist: true, timeout: 5000 });
      try {
        await source.backup(copy, {
          progress: ({ totalPages, remainingPages }) => {
            totals.set(name, totalPages);
            done.set(name, totalPages - remainingPages);
            report(name);
            return 0x7fffffff;
          },
        });
      } finally {
        source.close();
      }
      done.set(name, totals.get(name) ?? 0);
      report(name);
      const db = new Database(copy, { fileMustExist: true });
      try {
        db.pragma('journal_mode = DELETE');
      } finally {
        db.close();
      }
      chmodSync(copy, PRIVATE_FILE_MODE);
      files.push({ name, size: statSync(copy).size, sha256: sha256Of(copy) });
    }
  } finally {
    progress?.stop();
  }
  const manifest: Manifest = {
    format: 1,
    product: productOf(),
    takenAt: new Date().toISOString(),
    files,
    eventLog: logFacts(join(target, EVENT_LOG_FILE)),
  };
  writeFileSync(join(target, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
  return manifest;
}

/** The manifest of a backup, once every file it names is there with its size and digest; else refused. */
export function verifyBackup(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new BackupRefusedError(`${dir} holds no ${MANIFEST_FILE}: not a (complete) backup; nothing restored`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    throw new BackupRefusedError(`${path} is not valid JSON; nothing restored`);
  }
  if (manifest.format !== 1 || !Array.isArray(manifest.files) || !manifest.eventLog)
    throw new BackupRefusedError(`${path} is not a backup manifest this version reads; nothing restored`);
  const problems: string[] = [];
  for (const file of manifest.files) {
    if (!(BACKED_UP_FILES as readonly string[]).includes(file.name)) {
      problems.push(`${file.name}: not a file of the embedded installation`);
      continue;
    }
    const copy = join(dir, file.name);
    if (!existsSync(copy)) problems.push(`${file.name}: missing`);
    else if (statSync(copy).size !== file.size) problems.push(`${file.name}: ${statSync(copy).size} bytes, the manifest says ${file.size}`);
    else if (sha256Of(copy) !== file.sha256) problems.push(`${file.name}: its SHA-256 differs from the manifest's`);
  }
  if (!manifest.files.some((file) => file.name === EVENT_LOG_FILE)) problems.push(`${EVENT_LOG_FILE}: not in the manifest`);
  if (problems.length > 0)
    throw new BackupRefusedError(`the backup in ${dir} does not match its manifest; nothing restored:\n  ${problems.join('\n  ')}`);
  return manifest;
}

export interface RestoreOptions {
  /** An event log (an events.sqlite) newer than the backup; default: the data directory's current one, moved aside. */
  readonly logFrom?: string;
  /** READ_DIR, where it is not the data directory: its read store is checked and moved aside too. */
  readonly readDir?: string;
  readonly now?: Date;
}

export interface RestoreReport {
  readonly manifest: Manifest;
  /** Where the files in use before were moved (inside the data directory), or null when there were none. */
  readonly movedAside: string | null;
  /** The log the erasures after the backup were read from, or null when there was none. */
  readonly logFrom: string | null;
  /** Households with a PersonalDataErased after the backup's head: their keys destroyed in the restored key store. */
  readonly erasedFromLog: readonly string[];
  /** From the key store in use before the restore: keys destroyed there, newer records added. */
  readonly fromCurrentKeys: { readonly destroyed: number; readonly added: number } | null;
  /** Erasures marked in the restored log (households whose latest key is destroyed, unmarked there). */
  readonly marked: number;
}

/**
 * The log `from` continues the backup's: it holds the backup's head event at the head position.
 * Only then are its later positions the events after the backup.
 */
function assertContinues(from: string, manifest: Manifest): void {
  if (manifest.eventLog.headEventId === null) return;
  const db = new Database(from, { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const at = db.prepare<[bigint], { id: string }>('SELECT id FROM events WHERE position = ?').get(BigInt(manifest.eventLog.headPosition));
    if (at?.id !== manifest.eventLog.headEventId)
      throw new BackupRefusedError(
        `the event log ${from} does not continue the backup's (no event ${manifest.eventLog.headEventId} at position ${manifest.eventLog.headPosition}): name the log in use since the backup with --log-from; nothing restored`,
      );
  } finally {
    db.close();
  }
}

/** Households erased after the backup: a PersonalDataErased (on a case or the household stream) after its head. */
async function erasuresAfter(file: string, head: bigint): Promise<string[]> {
  const log = new SqliteEventStore(file);
  const households = new Set<string>();
  try {
    for await (const batch of log.readAll({ after: head, batchSize: 1000 }))
      for (const event of batch)
        if (event.type === 'PersonalDataErased') households.add((event.data as { householdId: string }).householdId);
  } finally {
    await log.close();
  }
  return [...households];
}

/** The databases of `directory` with their -wal/-shm and the read store's lease locks into `aside`; secrets and the KEK stay. */
function moveAside(directory: string, aside: string): void {
  mkdirSync(aside, { mode: PRIVATE_DIR_MODE });
  for (const entry of readdirSync(directory)) {
    if (DATABASE_FILES.some((name) => entry === name || entry.startsWith(`${name}-`)))
      renameSync(join(directory, entry), join(aside, entry));
  }
}

/**
 * `restore <dir>` with every process on the data directory stopped. Everything is checked first
 * (the manifest, that no file is in use, that the newer log continues the backup's); only then is
 * anything changed: the current database files are moved aside (into `before-restore-<time>/` in
 * the data directory), the backup's copied in. Then, before any process can read the restored key
 * store, every erasure made after the backup is applied to it again:
 * 1. each household with a PersonalDataErased after the backup's head in the newer log (default:
 *    the one moved aside) loses every key generation the backup holds (all predate the erasure);
 * 2. the key store moved aside is merged in: keys destroyed there are destroyed, records missing
 *    from the backup (generations created since, e.g. a household that came back) are added;
 *    destroyed keys are never resurrected (mergeKeyFile);
 * 3. households whose latest key is now destroyed but whose erasure the restored log lacks are
 *    marked in it, as the retention job completes an interrupted erasure.
 * Step 1 comes before step 2, so that a generation created after an erasure stays readable.
 */
export async function restoreBackup(dir: string, dataDir: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const manifest = verifyBackup(dir);
  const now = options.now ?? new Date();
  // A read store in a READ_DIR of its own is checked and moved aside there (decision 0052).
  const readDir = options.readDir !== undefined && resolve(options.readDir) !== resolve(dataDir) ? resolve(options.readDir) : null;
  const busy = [dataDir, ...(readDir ? [readDir] : [])].flatMap((directory) =>
    (existsSync(directory) ? readdirSync(directory, { withFileTypes: true }) : [])
      .filter((entry) => entry.isFile() && (DATABASE_FILES.includes(entry.name) || /^read\.sqlite-lease-.*\.lock$/.test(entry.name)))
      .map((entry) => join(directory, entry.name))
      .filter((file) => inUse(file))
      .map((file) => (directory === dataDir ? basename(file) : file)),
  );
  if (busy.length > 0)
    throw new BackupRefusedError(
      `in use by a running process: ${busy.join(', ')}. Stop the API, the projectors and every CLI command on ${dataDir} first; nothing restored`,
    );
  const current = DATABASE_FILES.filter((name) => existsSync(join(dataDir, name)));
  const asideName = `before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  const aside = current.length > 0 ? join(dataDir, asideName) : null;
  // The newer log: the one named, else the data directory's own unless it holds no event (a fresh start).
  let logFrom: string | null = null;
  if (options.logFrom) {
    logFrom = resolve(options.logFrom);
    if (!existsSync(logFrom)) throw new BackupRefusedError(`--log-from ${options.logFrom} does not exist; nothing restored`);
    assertContinues(logFrom, manifest);
  } else if (current.includes(EVENT_LOG_FILE) && logFacts(join(dataDir, EVENT_LOG_FILE)).events > 0) {
    assertContinues(join(dataDir, EVENT_LOG_FILE), manifest);
    logFrom = join(aside as string, EVENT_LOG_FILE);
  }

  if (aside) moveAside(dataDir, aside);
  if (readDir && existsSync(join(readDir, READ_STORE_FILE))) moveAside(readDir, join(readDir, asideName));
  for (const file of manifest.files) {
    const to = join(dataDir, file.name);
    copyFileSync(join(dir, file.name), `${to}.restoring`);
    chmodSync(`${to}.restoring`, PRIVATE_FILE_MODE);
    renameSync(`${to}.restoring`, to);
  }

  const settings = loadSettings({ ...process.env, DATA_DIR: dataDir });
  const erasedFromLog = logFrom ? await erasuresAfter(logFrom, BigInt(manifest.eventLog.headPosition)) : [];
  const keyStore = openKeyStore(settings);
  try {
    for (const householdId of erasedFromLog) await keyStore.destroy(householdId, now.toISOString());
  } finally {
    await keyStore.close();
  }
  const currentKeys = aside && current.includes(KEY_STORE_FILE) ? join(aside, KEY_STORE_FILE) : null;
  const fromCurrentKeys = currentKeys ? mergeKeyFile(join(dataDir, KEY_STORE_FILE), currentKeys) : null;

  const events = openEventStore(settings);
  const keys = openKeyStore(settings);
  let marked = 0;
  try {
    marked = (await completeInterruptedErasures(events, new PersonalDataKeys(keys), RESTORE_ACTOR)).length;
  } finally {
    await Promise.all([events.close(), keys.close()]);
  }
  return { manifest, movedAside: aside, logFrom, erasedFromLog, fromCurrentKeys, marked };
}

export interface BackupIo {
  readonly write: (text: string) => void;
  readonly progress?: () => BackupProgress;
}

/** `backup <dir>` and `restore <dir> [--log-from <events.sqlite>]` on the embedded stores of DATA_DIR. */
export function backupCommands(program: Command, io: BackupIo): void {
  program
    .command('backup <dir>')
    .description('online backup of the embedded stores (event log, keys, access log) into a new or empty directory, with a manifest')
    .action(async (dir: string) => {
      const settings = loadSettings();
      assertEmbedded(settings);
      const manifest = await takeBackup(settings.dataDir, dir, io.progress?.());
      for (const file of manifest.files) io.write(`${file.name}  ${file.size} bytes  sha256 ${file.sha256}\n`);
      io.write(
        `backup of ${manifest.eventLog.events} events (head ${manifest.eventLog.headPosition}) taken ${manifest.takenAt} into ${dir}; keep ${KEY_STORE_FILE} apart from the key-encryption key\n`,
      );
    });
  program
    .command('restore <dir>')
    .description('restore a backup into DATA_DIR (stop the API and projectors first); re-applies every erasure made since')
    .option('--log-from <file>', 'the event log in use since the backup (default: the current one in DATA_DIR, moved aside)')
    .action(async (dir: string, options: { logFrom?: string }) => {
      const settings = loadSettings();
      assertEmbedded(settings);
      io.write(formatRestore(await restoreBackup(dir, settings.dataDir, { logFrom: options.logFrom, readDir: settings.readDir })));
    });
}

/** Household ids and counts only: no personal data. */
export const formatRestore = (report: RestoreReport): string =>
  [
    `restored ${report.manifest.files.map((f) => f.name).join(', ')} from the backup of ${report.manifest.takenAt} (${report.manifest.eventLog.events} events, head ${report.manifest.eventLog.headPosition})`,
    report.movedAside
      ? `the files in use before are in ${report.movedAside} (delete it once the restore is checked: it holds personal data)`
      : 'the data directory held no files before',
    report.logFrom
      ? `${report.erasedFromLog.length} household(s) erased after the backup according to ${report.logFrom}: keys destroyed${report.erasedFromLog.length ? ` (${report.erasedFromLog.join(', ')})` : ''}`
      : 'no newer event log: erasures after the backup are known only from the current key store (if any); repeat any others by hand',
    report.fromCurrentKeys
      ? `current key store: ${report.fromCurrentKeys.destroyed} key(s) destroyed there destroyed here too, ${report.fromCurrentKeys.added} record(s) newer than the backup kept`
      : 'no current key store to merge',
    `${report.marked} erasure(s) marked in the restored log; the read models are rebuilt at the next start`,
  ].join('\n') + '\n';
