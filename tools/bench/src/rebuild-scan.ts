import { CASE_CATEGORY } from '@wih/domain';
import { SqliteEventStore, type EventStore } from '@wih/event-store';
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';

export interface Throughput {
  readonly name: string;
  /** Events read (each projection reads every case event once). */
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly note?: string;
}

export const throughput = (name: string, events: number, seconds: number, note?: string): Throughput => ({
  name,
  events,
  seconds,
  eventsPerSecond: events / seconds,
  ...(note ? { note } : {}),
});

/**
 * The floor under a rebuild: what the store's own catch-up read costs, with nothing applied.
 * Projections read the `case` category the same way (readAll by category, in batches).
 */
export async function storeScan(
  file: string,
  batchSize: number,
  wrap?: { name: string; store: (raw: EventStore) => EventStore },
): Promise<Throughput> {
  const store = wrap ? wrap.store(new SqliteEventStore(file)) : new SqliteEventStore(file);
  try {
    const started = performance.now();
    let events = 0;
    let bytes = 0;
    for await (const batch of store.readAll({ category: CASE_CATEGORY, batchSize })) {
      events += batch.length;
      // Touch what a projection touches, so that nothing is skipped as unused.
      for (const event of batch) bytes += event.type.length + event.metadata.businessDate.length;
    }
    const seconds = (performance.now() - started) / 1000;
    if (bytes === 0 && events > 0) throw new Error('unreachable: events without types');
    return throughput(wrap?.name ?? `store scan: readAll(case), batches of ${batchSize}`, events, seconds);
  } finally {
    await store.close();
  }
}

/** The rawest read: one statement over the category, rows decoded and both JSON columns parsed. */
export function bareScan(file: string): Throughput {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare<[string], { position: bigint; stream: string; revision: bigint; id: string; type: string; data: string; metadata: string }>(
        'SELECT position, stream, revision, id, type, data, metadata FROM events WHERE category = ? ORDER BY position',
      )
      .safeIntegers(true);
    const started = performance.now();
    let events = 0;
    let empty = 0;
    for (const row of rows.iterate(CASE_CATEGORY)) {
      const data: unknown = JSON.parse(row.data);
      const metadata: unknown = JSON.parse(row.metadata);
      if (data === null || metadata === null) empty++;
      events++;
    }
    const seconds = (performance.now() - started) / 1000;
    if (empty > 0) throw new Error(`${empty} events without data or metadata`);
    return throughput('bare SQLite: SELECT … ORDER BY position + JSON.parse', events, seconds);
  } finally {
    db.close();
  }
}
