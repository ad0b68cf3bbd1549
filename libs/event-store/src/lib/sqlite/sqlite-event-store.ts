import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ConcurrencyError, StoreUnavailableError } from '../errors';
import type {
  AppendResult,
  CommitSignal,
  EventStore,
  ExpectedRevision,
  HeadEventReader,
  LogPosition,
  NewEvent,
  Partition,
  ReadAllOptions,
  RecordedEvent,
  StreamRevision,
  SubscribeOptions,
} from '../port';
import { assertNotEmpty, batchSizeOf, limitOf, partitionOfOptions } from '../read-options';
import { categoryOf } from '../streams';
import { openEventDatabase, type Durability } from './sqlite-schema';
import { prepareStatements, toRecordedEvent, type Statements } from './sqlite-statements';
import { armWakeup } from './wakeup';
import { DEFAULT_WATCH_MS, SqliteCommitWatch } from './commit-watch';
import { checkpointInBackground, type BackgroundCheckpointer } from './checkpointer';
import { timedCommit } from './diagnostics';

export interface SqliteEventStoreOptions {
  /** Default 'full': an append is on disk when it resolves (see Durability). */
  readonly durability?: Durability;
  /**
   * How often an idle subscription reads again without being woken (ms, default 1,000): a safety
   * net only, as every commit wakes it (`watchIntervalMs`).
   */
  readonly pollIntervalMs?: number;
  /**
   * While anything waits for appends, how often the connection asks SQLite whether another
   * process appended (`PRAGMA data_version`, ms, default 2). Appends by this process, on any
   * thread, wake it at once (docs/decisions/0043).
   */
  readonly watchIntervalMs?: number;
  /**
   * 'inline' (default): SQLite checkpoints the WAL inside the commit that crosses 1,000 pages.
   * 'background': a worker thread checkpoints every 500 ms, so no append waits for one (the API);
   * the automatic checkpoint stays as a backstop at 10,000 pages in case the worker falls behind.
   */
  readonly checkpoints?: 'inline' | 'background';
}

const BUSY_TIMEOUT_MS = 5000;

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: AppendResult } | { error: unknown };

/**
 * The embedded event store: one SQLite file.
 *
 * No gaps for readers: SQLite admits one writer at a time and assigns the position (the
 * AUTOINCREMENT rowid) inside the write transaction, so transactions commit in position order and
 * no reader sees position n+1 before n. Reading `position > last seen` in a loop misses nothing.
 */
export class SqliteEventStore implements EventStore, HeadEventReader {
  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly watch: SqliteCommitWatch;
  private readonly pollIntervalMs: number;
  private readonly write: Database.Transaction<SqliteEventStore['writeEvents']>;
  private readonly writeGroup: Database.Transaction<(group: readonly PendingAppend[]) => Outcome[]>;
  private readonly checkpointer?: BackgroundCheckpointer;
  private pending: PendingAppend[] = [];
  private closed = false;

  constructor(file: string, options: SqliteEventStoreOptions = {}) {
    this.db = openEventDatabase(file, options.durability ?? 'full');
    if (options.checkpoints === 'background') {
      this.checkpointer = checkpointInBackground(this.db, file, BUSY_TIMEOUT_MS);
    }
    this.statements = prepareStatements(this.db);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.watch = new SqliteCommitWatch(this.db, file, options.watchIntervalMs ?? DEFAULT_WATCH_MS);
    this.write = this.db.transaction((stream: string, events: readonly NewEvent[], expected: ExpectedRevision) =>
      this.writeEvents(stream, events, expected),
    );
    // Called inside the group's transaction, each append is a savepoint: a refused one is rolled
    // back alone and the others commit.
    this.writeGroup = this.db.transaction((group: readonly PendingAppend[]) =>
      group.map((item): Outcome => {
        try {
          return { ok: this.write(item.stream, item.events, item.expected) };
        } catch (error) {
          return { error };
        }
      }),
    );
  }

  /**
   * Group commit: appends that arrive in the same turn of the event loop are written in one
   * transaction, so they share one fsync (synchronous=FULL makes the fsync the dominant cost).
   * Every append is still atomic, checked against its own expected revision, and resolves only
   * after the commit is durable.
   */
  append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      this.assertOpen();
      assertNotEmpty(stream, events);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      if (this.pending.push({ stream, events, expected, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const group = this.pending;
    this.pending = [];
    let outcomes: Outcome[];
    try {
      this.assertOpen();
      // IMMEDIATE takes the write lock before the revision checks, so checks and inserts see the
      // same state and a writer in another process waits (busy timeout) instead of failing.
      outcomes = timedCommit(group.length, () => translateBusy(() => this.writeGroup.immediate(group)));
    } catch (error) {
      group.forEach((item) => item.reject(error));
      return;
    }
    if (outcomes.some((o) => 'ok' in o)) this.watch.committed();
    outcomes.forEach((outcome, i) => ('ok' in outcome ? group[i].resolve(outcome.ok) : group[i].reject(outcome.error)));
  }

  async readStream(stream: string, options: { fromRevision?: StreamRevision } = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.statements.readStream.all(stream, options.fromRevision ?? 0).map(toRecordedEvent);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    const batchSize = batchSizeOf(options.batchSize);
    let remaining = limitOf(options.limit);
    const partition = partitionOfOptions(options.partition);
    let after = options.after ?? 0n;
    while (remaining > 0) {
      const batch = this.page(after, options.category, Math.min(batchSize, remaining), partition);
      if (batch.length === 0) return;
      yield batch;
      remaining -= batch.length;
      after = lastPosition(batch);
    }
  }

  async *subscribe(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    const batchSize = batchSizeOf(options.batchSize);
    let after = options.after ?? 0n;
    for (;;) {
      const batch = await this.nextBatch(after, options.category, batchSize, options.signal);
      if (batch.length === 0) return;
      after = lastPosition(batch);
      yield batch;
    }
  }

  /** Appends of this handle, of the other handles on the file in this process, and of other processes. */
  get commitSignal(): CommitSignal {
    return this.watch;
  }

  async headPosition(category?: string): Promise<LogPosition> {
    this.assertOpen();
    const head = category === undefined ? this.statements.head.get() : this.statements.categoryHead.get(category);
    return head ?? 0n;
  }

  async lastEvent(): Promise<RecordedEvent | null> {
    this.assertOpen();
    const row = this.statements.last.get();
    return row ? toRecordedEvent(row) : null;
  }

  async countEvents(category: string): Promise<number> {
    this.assertOpen();
    // Covered by the (category, position) index; bigint mode may hand back a bigint.
    return Number(this.statements.categoryCount.get(category) ?? 0);
  }

  async ping(): Promise<boolean> {
    try {
      this.assertOpen();
      this.statements.ping.get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Wakes idle subscriptions: their next read fails with StoreUnavailableError.
    this.watch.close();
    await this.checkpointer?.stop();
    this.db.close();
  }

  private writeEvents(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): AppendResult {
    const current = this.statements.streamRevision.get(stream);
    const actual = current === null || current === undefined ? undefined : Number(current);
    checkExpected(stream, expected, actual);
    const category = categoryOf(stream);
    let revision = actual ?? -1;
    let position = 0n;
    for (const event of events) {
      revision += 1;
      const data = JSON.stringify(event.data ?? null);
      const metadata = JSON.stringify(event.metadata);
      const { lastInsertRowid } = this.statements.insert.run(stream, category, revision, event.id, event.type, data, metadata);
      position = BigInt(lastInsertRowid);
    }
    return { revision, position };
  }

  /** The next non-empty batch after `after`, waiting for appends; empty only once aborted. */
  private async nextBatch(after: LogPosition, category: string | undefined, size: number, signal?: AbortSignal) {
    while (!signal?.aborted) {
      const wakeup = armWakeup([this.watch], this.pollIntervalMs, signal);
      try {
        const batch = this.page(after, category, size);
        if (batch.length > 0) return batch;
        await wakeup.promise;
      } finally {
        wakeup.cancel();
      }
    }
    return [];
  }

  private page(after: LogPosition, category: string | undefined, limit: number, partition?: Partition): RecordedEvent[] {
    this.assertOpen();
    const s = this.statements;
    let rows;
    if (partition) {
      rows =
        category === undefined
          ? s.readAllPart.all(after, partition.count, partition.index, limit)
          : s.readCategoryPart.all(after, category, partition.count, partition.index, limit);
    } else {
      rows = category === undefined ? s.readAll.all(after, limit) : s.readCategory.all(after, category, limit);
    }
    return rows.map(toRecordedEvent);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
  }
}

/** The store in `<dataDir>/events.sqlite`. */
export const openSqliteEventStore = (dataDir: string, options?: SqliteEventStoreOptions): SqliteEventStore =>
  new SqliteEventStore(join(dataDir, 'events.sqlite'), options);

const checkExpected = (stream: string, expected: ExpectedRevision, actual: StreamRevision | undefined): void => {
  const matches = expected === 'any' || (expected === 'no-stream' ? actual === undefined : actual === expected);
  if (!matches) throw new ConcurrencyError(stream, String(expected), actual === undefined ? 'no-stream' : String(actual));
};

/** Another connection held the write lock past the busy timeout: the store did not answer in time. */
const translateBusy = <T>(run: () => T): T => {
  try {
    return run();
  } catch (error) {
    // Duck-typed rather than `instanceof SqliteError`: the addon's error class may come from another realm.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) {
      throw new StoreUnavailableError(`event store busy: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
};

const lastPosition = (batch: readonly RecordedEvent[]): LogPosition => batch[batch.length - 1].position;
