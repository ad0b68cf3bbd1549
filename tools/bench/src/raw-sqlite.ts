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

/** One INSERT per IMMEDIATE transaction (as the store commits), rows spread over `streams` streams. */
const withRawTable = async <T>(streams: number, synchronous: Synchronous, run: (insertNext: () => void) => T | Promise<T>): Promise<T> => {
  const dir = makeTempDir('wih-bench-raw-');
  const db = openDatabase(join(dir.path, 'events.sqlite'), synchronous);
  try {
    const row = sampleRow();
    const names = Array.from({ length: streams }, () => `case-${randomUUID()}`);
    const revisions = new Array<number>(streams).fill(-1);
    const insert = db.prepare('INSERT INTO events (stream, category, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const write = db.transaction((stream: string, revision: number) =>
      insert.run(stream, 'case', revision, randomUUID(), row.type, row.data, row.metadata),
    );
    let next = 0;
    return await run(() => {
      const s = next++ % streams;
      write.immediate(names[s], ++revisions[s]);
    });
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
