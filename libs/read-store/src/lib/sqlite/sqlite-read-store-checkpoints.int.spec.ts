import Database from 'better-sqlite3';
import { CHECKPOINT_CHANNEL, type StoreTiming } from '@wih/event-store';
import diagnosticsChannel from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitWrites, docWrite, newCollection, readStoreContract } from '../../testing';
import { storageNameOf } from '../collections';
import { SqliteReadStore, openSqliteReadStore } from './sqlite-read-store';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'read-store-checkpoints-'));

readStoreContract(
  'SQLite, background checkpoints',
  async () => {
    const dir = await tempDir();
    const store = openSqliteReadStore(dir, { checkpoints: 'background' });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  { atomicCommits: true },
);

describe('SqliteReadStore with background checkpoints (decision 0048)', () => {
  let dir: string;
  let file: string;
  const checkpoints: StoreTiming[] = [];
  const listen = (message: unknown) => checkpoints.push(message as StoreTiming);

  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir, 'read.sqlite');
    checkpoints.length = 0;
    diagnosticsChannel.subscribe(CHECKPOINT_CHANNEL, listen);
  });
  afterEach(async () => {
    diagnosticsChannel.unsubscribe(CHECKPOINT_CHANNEL, listen);
    await rm(dir, { recursive: true, force: true });
  });

  /** `batches` live commits of one document each, as a projection commits them. */
  const commitMany = async (store: SqliteReadStore, batches: number): Promise<string> => {
    const collection = await newCollection(store);
    for (let i = 1; i <= batches; i++) await commitWrites(store, collection, [docWrite(`d${i}`, { n: i }, BigInt(i))]);
    return collection;
  };

  it('copies the WAL back from the worker, without a commit reaching the automatic threshold', async () => {
    const store = new SqliteReadStore(file, { checkpoints: 'background' });
    await commitMany(store, 50);
    const deadline = Date.now() + 5000;
    while (checkpoints.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await store.close();

    expect(checkpoints.length).toBeGreaterThan(0);
    // The WAL never reached 1,000 pages, so only the worker can have copied frames back.
    expect(checkpoints.reduce((n, c) => n + c.count, 0)).toBeLessThan(1000);
  });

  it('stops the worker before closing: the store is the last connection, the WAL is gone and every commit is in the file', async () => {
    const store = new SqliteReadStore(file, { checkpoints: 'background' });
    const collection = await commitMany(store, 30);
    await store.close();

    expect(existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare(`SELECT count(*) AS n FROM "${storageNameOf(collection)}"`).get()).toEqual({ n: 30 });
    } finally {
      db.close();
    }
  });

  it('an in-memory store has no file to copy back: no worker', async () => {
    const store = new SqliteReadStore(':memory:', { checkpoints: 'background' });
    await commitMany(store, 5);
    await store.close();
    expect(checkpoints).toEqual([]);
  });
});
