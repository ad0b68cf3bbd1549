import {
  checkpointInBackground,
  preparePrivateFile,
  SqliteCommitWatch,
  type BackgroundCheckpointer,
  type CommitSignal,
} from '@wih/event-store';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assertCollectionName, assertSameIndexes, assertSpec, missingCollection, storageNameOf } from '../collections';
import { CheckpointConflictError, ReadStoreUnavailableError } from '../errors';
import type {
  CheckpointMove,
  CollectionSpec,
  DocWrite,
  EnsureOptions,
  Filter,
  FindQuery,
  Lease,
  Position,
  ReadStore,
  StoredDoc,
} from '../port';
import { assertCheckpointMove, assertFilters, assertLease, assertName, assertQuery, assertWrites } from '../validation';
import { canonicalJson, describePosition, prefixUpperBound } from '../values';
import { SqliteCollection } from './sqlite-collection';
import { isMissingTable, translateBusy } from './sqlite-errors';
import {
  indexesDdl,
  openReadDatabase,
  quote,
  searchConfigTable,
  searchIndexDdl,
  searchTable,
  secureSearchIndexDdl,
  tableDdl,
} from './sqlite-schema';
import { prepareStatements, type Statements } from './sqlite-statements';

type Commit = (target: SqliteCollection, writes: readonly DocWrite[], checkpoint: CheckpointMove) => void;

export interface SqliteReadStoreOptions {
  readonly watchIntervalMs?: number;
  /** `background`: the WAL is copied back by a worker thread, never inside a commit (default: inside, as SQLite does). */
  readonly checkpoints?: 'inline' | 'background';
  /** A drop's steps (decision 0049): rows deleted per step (1,000) and the longest pause after a step (50 ms). */
  readonly dropStepRows?: number;
  readonly dropPauseMs?: number;
}

/** The worker's wait for a commit's lock, as the read database's own (sqlite-schema.ts). */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The embedded read store: one SQLite file, a table per collection (see sqlite-schema.ts).
 * Several processes may open the same file; SQLite admits one writer at a time.
 *
 * Reads of a collection that does not exist (yet) are empty, as in MongoDB: queries may run
 * before the runner in another process has created the collection.
 */
export class SqliteReadStore implements ReadStore {
  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly collections = new Map<string, SqliteCollection>();
  private readonly createTx: Database.Transaction<(spec: CollectionSpec, options: EnsureOptions) => void>;
  private readonly indexTx: Database.Transaction<(spec: CollectionSpec) => void>;
  private readonly dropTx: Database.Transaction<(name: string) => void>;
  private readonly commitTx: Database.Transaction<Commit>;
  /** The operating-system locks this store holds, by lease name; null: an in-memory store (time-based leases only). */
  private readonly leaseLocks: Map<string, LeaseLock> | null;
  private readonly watch: SqliteCommitWatch;
  private readonly checkpointer?: BackgroundCheckpointer;
  private closed = false;
  private readonly dropStepRows: number;
  private readonly dropPauseMs: number;

  /**
   * `watchIntervalMs`: how often a waiting reader asks whether another process committed (docs/decisions/0043).
   * `checkpoints: 'background'`: for the handle a projection commits on (decision 0048).
   */
  constructor(
    private readonly file: string,
    options: SqliteReadStoreOptions = {},
  ) {
    this.db = openReadDatabase(file);
    if (options.checkpoints === 'background' && file !== ':memory:' && file !== '') {
      // Inline, about every hundredth live batch stalled a projection for the copy and its fsync
      // (10 ms here), and every read-your-writes wait behind it.
      this.checkpointer = checkpointInBackground(this.db, file, BUSY_TIMEOUT_MS);
    }
    this.watch = new SqliteCommitWatch(this.db, file, options.watchIntervalMs);
    this.dropStepRows = options.dropStepRows ?? 1_000;
    this.dropPauseMs = options.dropPauseMs ?? 50;
    this.leaseLocks = file === ':memory:' || file === '' ? null : new Map();
    this.statements = prepareStatements(this.db);
    this.createTx = this.db.transaction((spec: CollectionSpec, options: EnsureOptions) => this.create(spec, options));
    this.indexTx = this.db.transaction((spec: CollectionSpec) => this.createIndexes(spec, true));
    this.dropTx = this.db.transaction((name: string) => this.drop(name));
    this.commitTx = this.db.transaction<Commit>((target, writes, checkpoint) => this.apply(target, writes, checkpoint));
  }

  async ensureCollection(spec: CollectionSpec, options: EnsureOptions = {}): Promise<void> {
    assertSpec(spec);
    this.run(() => this.createTx.immediate(spec, options));
  }

  async ensureIndexes(spec: CollectionSpec): Promise<void> {
    assertSpec(spec);
    this.run(() => {
      const stored = this.statements.collectionIndexes.get(spec.name);
      if (stored === undefined) throw missingCollection(spec.name);
      assertSameIndexes(spec, JSON.parse(stored) as string[]);
      this.indexTx.immediate(spec);
      // Prepared again on next use: the statements see the new trigram tables.
      this.collections.delete(spec.name);
    });
  }

  /**
   * In steps, each its own short transaction with a pause after it (decision 0049): first the
   * table's triggers, search tables and indexes one by one, then its rows `dropStepRows` at a time,
   * then the empty table and its registration. One DROP of a whole generation rewrote every page
   * at once (secure_delete zeroes them): hundreds of MiB for the disk, and the writer's lock held
   * through it, while live projections and the event log's fsyncs waited.
   */
  async dropCollection(name: string): Promise<void> {
    assertCollectionName(name);
    const table = storageNameOf(name);
    this.collections.delete(name);
    // Each step its own transaction, then a pause of four times its length, at most dropPauseMs: steps
    // of up to dropPauseMs / 4 leave the writer free four fifths of the time, and a small collection
    // goes at once.
    const step = async <T>(work: () => T): Promise<T> => {
      const started = performance.now();
      const result = this.run(work);
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.dropPauseMs, 4 * (performance.now() - started))));
      return result;
    };
    // Triggers first (they write to the search tables), then the indexes.
    for (const dependent of this.run(() => this.statements.dependents.all(table))) {
      await step(() => this.db.exec(`DROP ${dependent.type === 'trigger' ? 'TRIGGER' : 'INDEX'} IF EXISTS ${quote(dependent.name)}`));
    }
    for (const fts of this.run(() => this.statements.searchTables.all(`${table}__fts_*`))) {
      await step(() => this.db.exec(`DROP TABLE IF EXISTS ${quote(fts)}`));
    }
    if (this.run(() => this.statements.tableExists.get(table)) !== undefined) {
      const remove = this.db.prepare(
        `DELETE FROM ${quote(table)} WHERE rowid IN (SELECT rowid FROM ${quote(table)} ORDER BY rowid LIMIT ?)`,
      );
      const rows = this.db.transaction(() => remove.run(this.dropStepRows).changes);
      let deleted: number;
      do deleted = await step(() => rows.immediate());
      while (deleted > 0);
    }
    this.run(() => this.dropTx.immediate(name));
  }

  async listCollections(prefix: string): Promise<string[]> {
    const upper = prefixUpperBound(prefix);
    return this.run(() =>
      upper === null ? this.statements.collectionsFrom.all(prefix) : this.statements.collectionsBetween.all(prefix, upper),
    );
  }

  async commit(collection: string, writes: readonly DocWrite[], checkpoint: CheckpointMove): Promise<void> {
    assertCheckpointMove(checkpoint);
    this.run(() => {
      const target = this.collection(collection);
      if (!target) throw missingCollection(collection);
      assertWrites(target.spec, writes);
      // IMMEDIATE takes the write lock before the checkpoint is read: a runner in another process
      // waits (busy timeout) and then sees the moved checkpoint, instead of both passing the check.
      this.commitTx.immediate(target, writes, checkpoint);
    });
    this.watch.committed();
  }

  /** Commits of this handle, of the other handles on the file in this process, and of other processes. */
  get commitSignal(): CommitSignal {
    return this.watch;
  }

  async getCheckpoint(name: string): Promise<Position | null> {
    return this.run(() => this.statements.checkpoint.get(name) ?? null);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    this.run(() => this.statements.deleteCheckpoint.run(name));
  }

  async get<T>(collection: string, id: string): Promise<StoredDoc<T> | null> {
    return this.read(collection, null, (target) => target.get<T>(id));
  }

  async getMany<T>(collection: string, ids: readonly string[]): Promise<Map<string, StoredDoc<T>>> {
    return this.read(collection, new Map<string, StoredDoc<T>>(), (target) => target.getMany<T>(ids));
  }

  async find<T>(collection: string, query: FindQuery): Promise<StoredDoc<T>[]> {
    return this.read(collection, [], (target) => {
      assertQuery(target.spec, query);
      return target.find<T>(query);
    });
  }

  async count(collection: string, filters?: readonly Filter[]): Promise<number> {
    return this.read(collection, 0, (target) => {
      assertFilters(target.spec, filters);
      return target.count(filters);
    });
  }

  /**
   * On a file, holding a lease means holding an operating-system lock on a file of its own (see
   * LeaseLock), which the system releases when the process ends, however it ends. So: while this
   * store holds the lock, the time-based rules apply between the owners that use this store;
   * otherwise a lock held elsewhere (another process, or another store in this one) refuses, and
   * a lock got means the previous holder is gone: the lease is taken whatever its expiry, so a
   * restarted process need not wait for a dead one's lease to run out.
   */
  async acquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<number | false> {
    assertLease(name, owner, ttlMs, now);
    return this.run(() => {
      const expiresAt = now + ttlMs;
      if (!this.leaseLocks || this.leaseLocks.has(name)) {
        const fence = this.statements.acquireLease.get({ name, owner, expiresAt, now });
        return fence === undefined ? false : Number(fence);
      }
      const lock = LeaseLock.take(leaseLockFile(this.file, name));
      if (!lock) return false;
      try {
        const fence = Number(this.statements.takeOverLease.get({ name, owner, expiresAt }));
        this.leaseLocks.set(name, lock);
        return fence;
      } catch (error) {
        lock.release();
        throw error;
      }
    });
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.run(() => {
      this.statements.releaseLease.run(name, owner);
      // The lock goes with the last owner here: another owner of this store may still hold the lease.
      if (this.statements.lease.get(name) === undefined) this.unlock(name);
    });
  }

  async getLease(name: string): Promise<Lease | null> {
    const row = this.run(() => this.statements.lease.get(name));
    return row ? { name: row.name, owner: row.owner, expiresAt: Number(row.expires_at) } : null;
  }

  async getMeta<T>(key: string): Promise<T | null> {
    const json = this.run(() => this.statements.meta.get(key));
    return json === undefined ? null : (JSON.parse(json) as T);
  }

  async setMeta<T>(key: string, value: T): Promise<void> {
    assertName(key, 'meta key');
    const json = canonicalJson(value);
    this.run(() => this.statements.setMeta.run(key, json));
    // A switched active generation may already be past the position a reader waits for.
    this.watch.committed();
  }

  async compareAndSetMeta<T>(key: string, expected: T | null, value: T): Promise<boolean> {
    assertName(key, 'meta key');
    const next = canonicalJson(value);
    const previous = expected === null ? null : canonicalJson(expected);
    const { changes } = this.run(() =>
      previous === null ? this.statements.insertMeta.run(key, next) : this.statements.replaceMeta.run(next, key, previous),
    );
    if (changes > 0) this.watch.committed();
    return changes > 0;
  }

  async deleteMeta(key: string): Promise<void> {
    this.run(() => this.statements.deleteMeta.run(key));
  }

  async listMeta<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    const upper = prefixUpperBound(prefix);
    const rows = this.run(() => (upper === null ? this.statements.metaFrom.all(prefix) : this.statements.metaBetween.all(prefix, upper)));
    return rows.map((row) => ({ key: row.key, value: JSON.parse(row.value) as T }));
  }

  async ping(): Promise<boolean> {
    try {
      this.run(() => this.statements.ping.get());
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watch.close();
    for (const name of [...(this.leaseLocks?.keys() ?? [])]) this.unlock(name);
    await this.checkpointer?.stop();
    this.db.close();
  }

  private unlock(name: string): void {
    this.leaseLocks?.get(name)?.release();
    this.leaseLocks?.delete(name);
  }

  async scrub(): Promise<boolean> {
    return this.run(() => {
      // A reader in another process holds the WAL: wait briefly (this call blocks the event loop), not the usual 5 s.
      const timeout = this.db.pragma('busy_timeout', { simple: true });
      this.db.pragma('busy_timeout = 200');
      try {
        const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: bigint | number }[];
        return Number(result?.busy) === 0; // bigint on this connection (defaultSafeIntegers)
      } finally {
        this.db.pragma(`busy_timeout = ${Number(timeout)}`);
      }
    });
  }

  /** Creating is idempotent; the DDL also runs for a registered collection, restoring a lost index. */
  private create(spec: CollectionSpec, options: EnsureOptions): void {
    const stored = this.statements.collectionIndexes.get(spec.name);
    if (stored !== undefined) assertSameIndexes(spec, JSON.parse(stored) as string[]);
    this.db.exec(tableDdl(storageNameOf(spec.name), spec));
    if (!options.deferIndexes) this.createIndexes(spec, false);
    if (stored === undefined) this.statements.registerCollection.run(spec.name, JSON.stringify(spec.indexes));
  }

  /**
   * The secondary indexes and trigram tables that are missing; `analyze`: then the statistics
   * the planner chooses indexes by (without them it may filter on status and sort every match
   * where walking a (status, sort field) index would stop after one page).
   */
  private createIndexes(spec: CollectionSpec, analyze: boolean): void {
    const table = storageNameOf(spec.name);
    this.db.exec(indexesDdl(table, spec));
    for (const field of spec.searchIndexes ?? []) {
      if (this.statements.tableExists.get(searchTable(table, field)) === undefined) this.db.exec(searchIndexDdl(table, field));
      else if (!this.secureDeletes(table, field)) this.db.transaction(() => this.db.exec(secureSearchIndexDdl(table, field)))();
    }
    if (analyze) this.db.exec(`ANALYZE ${quote(table)}`);
  }

  /** Whether a search index made by an earlier version already removes deleted entries. */
  private secureDeletes(table: string, field: string): boolean {
    const row = this.db.prepare<[], { v: unknown }>(`SELECT v FROM ${searchConfigTable(table, field)} WHERE k = 'secure-delete'`).get();
    return row !== undefined && Number(row.v) === 1;
  }

  /** A drop's last step: the table, emptied by the steps before, and its registration. */
  private drop(name: string): void {
    this.collections.delete(name);
    this.db.exec(`DROP TABLE IF EXISTS ${quote(storageNameOf(name))}`);
    this.statements.forgetCollection.run(name);
  }

  private apply(target: SqliteCollection, writes: readonly DocWrite[], checkpoint: CheckpointMove): void {
    const row = this.statements.checkpointRow.get(checkpoint.name);
    const stored = row?.position ?? null;
    if (stored !== checkpoint.expected) {
      throw new CheckpointConflictError(checkpoint.name, describePosition(checkpoint.expected), describePosition(stored));
    }
    const fence = row?.fence === null || row?.fence === undefined ? null : Number(row.fence);
    if (checkpoint.fence !== undefined && fence !== null && fence > checkpoint.fence) {
      throw new CheckpointConflictError(checkpoint.name, `fence ${checkpoint.fence}`, `fence ${fence}`);
    }
    this.statements.setCheckpoint.run(checkpoint.name, checkpoint.next, checkpoint.fence ?? null);
    for (const write of writes) target.write(write);
  }

  /** The collection's statements, or undefined when it does not exist. */
  private collection(name: string): SqliteCollection | undefined {
    assertCollectionName(name);
    const cached = this.collections.get(name);
    if (cached) return cached;
    const indexes = this.statements.collectionIndexes.get(name);
    if (indexes === undefined) return undefined;
    const collection = new SqliteCollection(this.db, { name, indexes: JSON.parse(indexes) as string[] });
    this.collections.set(name, collection);
    return collection;
  }

  /** `empty` for a collection that does not exist, also when another connection dropped it since it was cached. */
  private read<T>(name: string, empty: T, work: (collection: SqliteCollection) => T): T {
    return this.run(() => {
      const target = this.collection(name);
      if (!target) return empty;
      try {
        return work(target);
      } catch (error) {
        if (!isMissingTable(error)) throw error;
        this.collections.delete(name);
        return empty;
      }
    });
  }

  private run<T>(work: () => T): T {
    if (this.closed) throw new ReadStoreUnavailableError('read store is closed');
    try {
      return work();
    } catch (error) {
      throw translateBusy(error);
    }
  }
}

/** A lease's lock file beside the store's file: `read.sqlite-lease-projection%2Fcases.lock`. */
export const leaseLockFile = (file: string, name: string): string =>
  `${file}-lease-${encodeURIComponent(name).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}.lock`;

/**
 * An operating-system lock held for a lease: the lock file opened as a SQLite database of its own
 * with an exclusive transaction left open (nothing is ever written to it). SQLite's fcntl locks
 * are released by the system when the process ends, also on SIGKILL; a second connection, in
 * another process or in this one (other worker threads included), finds it busy.
 */
class LeaseLock {
  private constructor(private readonly db: Database.Database) {}

  /** The lock, or null when it is held elsewhere. Never waits. */
  static take(file: string): LeaseLock | null {
    preparePrivateFile(file);
    const db = new Database(file, { timeout: 0 });
    try {
      db.exec('BEGIN EXCLUSIVE');
      return new LeaseLock(db);
    } catch (error) {
      db.close();
      if (/^SQLITE_BUSY/.test(String((error as { code?: unknown }).code))) return null;
      throw error;
    }
  }

  release(): void {
    this.db.close();
  }
}

/** The store in `<dataDir>/read.sqlite`. */
export const openSqliteReadStore = (dataDir: string, options: SqliteReadStoreOptions = {}): SqliteReadStore =>
  new SqliteReadStore(join(dataDir, 'read.sqlite'), options);
