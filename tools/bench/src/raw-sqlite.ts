import { encodeCaseEvent, envelopeOf, contextOf } from '@wih/application';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTempDir } from './cleanup';
import type { DriveResult } from './drive';
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
  const envelope = envelopeOf(contextOf(CASEWORKER, () => new Date()), {});
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
 * The floor under every append: one INSERT per IMMEDIATE transaction (as the store commits),
 * rows spread over `streams` streams. The first `warmup` rows are written but not measured.
 */
export function rawInsertBaseline(options: { rows: number; streams: number; warmup: number; synchronous: Synchronous }): DriveResult {
  const dir = makeTempDir('wih-bench-raw-');
  const db = openDatabase(join(dir.path, 'events.sqlite'), options.synchronous);
  try {
    const row = sampleRow();
    const streams = Array.from({ length: options.streams }, () => `case-${randomUUID()}`);
    const revisions = new Array<number>(options.streams).fill(-1);
    const insert = db.prepare('INSERT INTO events (stream, category, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const write = db.transaction((stream: string, revision: number, id: string) => insert.run(stream, 'case', revision, id, row.type, row.data, row.metadata));
    const latencies = new Latencies();
    let started = performance.now();
    for (let i = 0; i < options.warmup + options.rows; i++) {
      if (i === options.warmup) started = performance.now();
      const s = i % options.streams;
      const id = randomUUID();
      const t0 = performance.now();
      write.immediate(streams[s], ++revisions[s], id);
      if (i >= options.warmup) latencies.add(performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    return { ops: options.rows, seconds, opsPerSecond: options.rows / seconds, latency: latencies.summary(), errors: 0, errorKinds: {} };
  } finally {
    db.close();
    dir.remove();
  }
}
