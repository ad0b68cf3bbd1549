import { contextOf, encodeCaseEvent, envelopeOf } from '@wih/application';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTempDir } from './cleanup';
import { openLoop, type DriveResult, type OpenLoopResult } from './drive';
import { CASEWORKER, makeFixtures } from './fixtures';
import { Latencies } from './latency';

export type Synchronous = 'FULL' | 'NORMAL';

// The event store's table and index, so that the baseline pays for the same B-trees per row.
const SCHEMA = `
  CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream   TEXT    NOT NULL,
    category TEXT    NOT NULL,
    revision INTEGER NOT NULL,
    id       TEXT    NOT NULL UNIQUE,
    type     TEXT    NOT NULL,
    data     TEXT    NOT NULL,
    metadata TEXT    NOT NULL,
    UNIQUE (stream, revision)
  );
  CREATE INDEX events_category_position ON events (category, position);
`;

/** The stored form of one home visit, encoded once: the baseline measures SQLite, not JSON. */
const sampleRow = () => {
  const { notes, ...data } = makeFixtures().visit;
  const envelope = envelopeOf(
    contextOf(CASEWORKER, () => new Date()),
    {},
  );
  const event = encodeCaseEvent({ type: 'HomeVisitRecorded', data, personal: { notes } }, envelope);
  return { type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };
};

const openDatabase = (file: string, synchronous: Synchronous): Database.Database => {
  // Same settings as the event store: busy timeout, WAL, the durability's synchronous level.
  const db = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(SCHEMA);
  db.defaultSafeIntegers(true);
  return db;
};

/**
 * One IMMEDIATE transaction per call (as the store commits), rows spread over `streams` streams:
 * `insertNext(n)` inserts the next `n` rows in one transaction (one fsync with FULL).
 */
const withRawTable = async <T>(
  streams: number,
  synchronous: Synchronous,
  run: (insertNext: (rows?: number) => void) => T | Promise<T>,
): Promise<T> => {
  const dir = makeTempDir('wih-bench-raw-');
  const db = openDatabase(join(dir.path, 'events.sqlite'), synchronous);
  try {
    const row = sampleRow();
    const names = Array.from({ length: streams }, () => `case-${randomUUID()}`);
    const revisions = new Array<number>(streams).fill(-1);
    const insert = db.prepare('INSERT INTO events (stream, category, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
    let next = 0;
    const write = db.transaction((rows: number) => {
      for (let i = 0; i < rows; i++) {
        const s = next++ % streams;
        insert.run(names[s], 'case', ++revisions[s], randomUUID(), row.type, row.data, row.metadata);
      }
    });
    return await run((rows = 1) => write.immediate(rows));
  } finally {
    db.close();
    dir.remove();
  }
};

/** The floor under every append, as fast as it goes; the first `warmup` rows are not measured. */
export const rawInsertBaseline = (o: { rows: number; streams: number; warmup: number; synchronous: Synchronous }): Promise<DriveResult> =>
  withRawTable(o.streams, o.synchronous, (insertNext) => {
    for (let i = 0; i < o.warmup; i++) insertNext();
    const latencies = new Latencies();
    const started = performance.now();
    for (let i = 0; i < o.rows; i++) {
      const t0 = performance.now();
      insertNext();
      latencies.add(performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    return { ops: o.rows, seconds, opsPerSecond: o.rows / seconds, latency: latencies.summary(), errors: 0, errorKinds: {} };
  });

/** The same inserts at the HTTP run's fixed arrival rate: the disk's share of that run's tail. */
export const rawInsertAtRate = (o: { rate: number; seconds: number; streams: number }): Promise<OpenLoopResult> =>
  withRawTable(o.streams, 'FULL', (insertNext) => openLoop(async () => insertNext(), { rate: o.rate, seconds: o.seconds }));

/**
 * Group commit's floor: the same rows, `batch` per transaction (one fsync per batch with FULL), as
 * fast as it goes. Latency is per transaction; throughput is rows per second.
 */
export const rawInsertBatched = (o: {
  rows: number;
  streams: number;
  warmup: number;
  batch: number;
  synchronous: Synchronous;
}): Promise<DriveResult> =>
  withRawTable(o.streams, o.synchronous, (insertNext) => {
    for (let i = 0; i < o.warmup; i += o.batch) insertNext(o.batch);
    const latencies = new Latencies();
    const transactions = Math.ceil(o.rows / o.batch);
    const started = performance.now();
    for (let i = 0; i < transactions; i++) {
      const t0 = performance.now();
      insertNext(Math.min(o.batch, o.rows - i * o.batch));
      latencies.add(performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    return { ops: o.rows, seconds, opsPerSecond: o.rows / seconds, latency: latencies.summary(), errors: 0, errorKinds: {} };
  });
