import Database from 'better-sqlite3';
import diagnosticsChannel from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract, newEvents, uniqueStream } from '../../testing';
import { CHECKPOINT_CHANNEL, type StoreTiming } from './diagnostics';
import { SqliteEventStore, openSqliteEventStore } from './sqlite-event-store';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'event-store-checkpoints-'));

eventStoreContract('SQLite, background checkpoints', async () => {
  const dir = await tempDir();
  const store = openSqliteEventStore(dir, { checkpoints: 'background' });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore with background checkpoints', () => {
  let dir: string;
  let file: string;
  const checkpoints: StoreTiming[] = [];
  const listen = (message: unknown) => checkpoints.push(message as StoreTiming);

  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir, 'events.sqlite');
    checkpoints.length = 0;
    diagnosticsChannel.subscribe(CHECKPOINT_CHANNEL, listen);
  });
  afterEach(async () => {
    diagnosticsChannel.unsubscribe(CHECKPOINT_CHANNEL, listen);
    await rm(dir, { recursive: true, force: true });
  });

  const appendMany = async (store: SqliteEventStore, streams: number): Promise<void> => {
    for (let i = 0; i < streams; i++) await store.append(uniqueStream('case'), newEvents(3), 'no-stream');
  };

  it('copies the WAL into the database from the worker, without an append reaching the automatic threshold', async () => {
    const store = new SqliteEventStore(file, { checkpoints: 'background' });
    await appendMany(store, 50);
    const deadline = Date.now() + 5000;
    while (checkpoints.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await store.close();

    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints[0].count).toBeGreaterThan(0);
    // The WAL never reached 1,000 pages, so only the worker can have copied frames back.
    const copied = checkpoints.reduce((n, c) => n + c.count, 0);
    expect(copied).toBeLessThan(1000);
  });

  it('stops the worker before closing, so the store is the last connection and removes the WAL', async () => {
    const store = new SqliteEventStore(file, { checkpoints: 'background' });
    await appendMany(store, 20);
    await store.close();

    expect(existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 60 });
    } finally {
      db.close();
    }
  });
});
