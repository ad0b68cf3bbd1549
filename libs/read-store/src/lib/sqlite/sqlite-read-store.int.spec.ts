import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommitSignal } from '@wih/event-store';
import { CheckpointConflictError } from '../errors';
import { commitWrites, docWrite, readStoreContract, uniqueName } from '../../testing';
import { storageNameOf } from '../collections';
import { findSql } from './sqlite-query';
import { SqliteReadStore, openSqliteReadStore } from './sqlite-read-store';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'read-store-'));

readStoreContract(
  'SQLite',
  async () => {
    const dir = await tempDir();
    const store = openSqliteReadStore(dir);
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

describe('SqliteReadStore', () => {
  let dir: string;
  const open: SqliteReadStore[] = [];
  const openStore = (file = join(dir, 'nested', 'read.sqlite')): SqliteReadStore => {
    const store = new SqliteReadStore(file);
    open.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the parent directory and keeps everything across close and reopen', async () => {
    const file = join(dir, 'a', 'b', 'read.sqlite');
    const first = openStore(file);
    const collection = `${uniqueName()}@1`;
    await first.ensureCollection({ name: collection, indexes: ['status'] });
    await commitWrites(first, collection, [docWrite('a', { v: 'ä' }, 2n ** 60n, { status: 'open' })]);
    await first.setMeta('active/cases', { generation: 1 });
    await first.acquireLease('runner/cases', 'p1', 1000, 5000);
    await first.close();
    expect((await stat(file)).size).toBeGreaterThan(0);
    const inspect = new Database(file, { readonly: true });
    expect(inspect.pragma('journal_mode', { simple: true })).toBe('wal');
    inspect.close();

    const reopened = openStore(file);
    expect(await reopened.get(collection, 'a')).toStrictEqual({ id: 'a', doc: { v: 'ä' }, position: 2n ** 60n });
    expect(await reopened.getCheckpoint(collection)).toBe(2n ** 60n);
    const filters = [{ field: 'status', op: 'eq', value: 'open' } as const];
    expect(await reopened.find(collection, { filters, sortBy: 'status', limit: 5 })).toHaveLength(1);
    expect(await reopened.getMeta('active/cases')).toEqual({ generation: 1 });
    expect(await reopened.getLease('runner/cases')).toEqual({ name: 'runner/cases', owner: 'p1', expiresAt: 6000 });
  });

  it('shares leases, checkpoints and collections between connections to one file (processes)', async () => {
    const [one, two] = [openStore(), openStore()];
    expect(await one.acquireLease('runner', 'p1', 1000, 0)).toBeTruthy();
    expect(await two.acquireLease('runner', 'p2', 1000, 500)).toBe(false);
    const collection = `${uniqueName()}@1`;
    await one.ensureCollection({ name: collection, indexes: ['status'] });
    await one.commit(collection, [docWrite('a', { by: 'one' }, 1n)], { name: collection, expected: null, next: 1n });
    const stale = two.commit(collection, [docWrite('a', { by: 'two' }, 1n)], { name: collection, expected: null, next: 1n });
    await expect(stale).rejects.toBeInstanceOf(CheckpointConflictError);
    expect((await two.get(collection, 'a'))?.doc).toEqual({ by: 'one' });
  });

  describe('commit signal (what read-your-writes waits on, decision 0043)', () => {
    /** Far beyond the test's timeout: a wake-up only a poll would bring fails the test. */
    const NEVER = 600_000;
    const woken = (store: SqliteReadStore): Promise<void> =>
      new Promise((resolve) => {
        const stop = (store.commitSignal as CommitSignal).listen(() => {
          stop();
          resolve();
        });
      });

    it("signals another handle's checkpoint commit and active-generation switch in this process at once", async () => {
      const writer = openStore();
      const reader = new SqliteReadStore(join(dir, 'nested', 'read.sqlite'), { watchIntervalMs: NEVER });
      open.push(reader);
      const collection = `${uniqueName()}@1`;
      await writer.ensureCollection({ name: collection, indexes: ['status'] });
      const checkpoint = woken(reader);
      await writer.commit(collection, [docWrite('a', { n: 1 }, 1n)], { name: collection, expected: null, next: 1n });
      await checkpoint;
      expect(await reader.getCheckpoint(collection)).toBe(1n);
      const switched = woken(reader);
      expect(await writer.compareAndSetMeta('active/x', null, { generation: 2 })).toBe(true);
      await switched;
    });

    it("signals another process's commit (PRAGMA data_version)", async () => {
      const file = join(dir, 'nested', 'read.sqlite');
      const reader = new SqliteReadStore(file, { watchIntervalMs: 2 });
      open.push(reader);
      const checkpoint = woken(reader);
      // A plain connection tells nobody in this process, like another process's store.
      const other = new Database(file);
      other.prepare("INSERT INTO checkpoints (name, position) VALUES ('elsewhere@1', 7)").run();
      other.close();
      await checkpoint;
      expect(await reader.getCheckpoint('elsewhere@1')).toBe(7n);
    });

    it('does not signal a refused commit to its own listeners', async () => {
      const store = new SqliteReadStore(join(dir, 'nested', 'read.sqlite'), { watchIntervalMs: NEVER });
      open.push(store);
      const collection = `${uniqueName()}@1`;
      await store.ensureCollection({ name: collection, indexes: ['status'] });
      let wakes = 0;
      const stop = (store.commitSignal as CommitSignal).listen(() => (wakes += 1));
      const stale = store.commit(collection, [docWrite('a', { n: 1 }, 1n)], { name: collection, expected: 5n, next: 6n });
      await expect(stale).rejects.toBeInstanceOf(CheckpointConflictError);
      expect(wakes).toBe(0);
      await store.commit(collection, [docWrite('a', { n: 1 }, 1n)], { name: collection, expected: null, next: 1n });
      expect(wakes).toBe(1);
      stop();
    });
  });

  it('ends a lease with the store that held it: refused to another store while it lives (even expired), taken at once when it is gone', async () => {
    const file = join(dir, 'nested', 'read.sqlite');
    const [one, two] = [openStore(file), openStore(file)];
    const fence = (await one.acquireLease('projection/cases', 'p1', 60_000, 0)) as number;
    expect(existsSync(`${file}-lease-projection%2Fcases.lock`)).toBe(true);
    // Expired by the clock, but its holder lives: the operating-system lock refuses.
    expect(await two.acquireLease('projection/cases', 'p2', 60_000, 120_000)).toBe(false);
    // Gone without releasing (as a killed process): taken although the lease row is valid for another minute.
    await one.close();
    expect(await two.getLease('projection/cases')).toEqual({ name: 'projection/cases', owner: 'p1', expiresAt: 60_000 });
    expect(await two.acquireLease('projection/cases', 'p2', 60_000, 1_000)).toBeGreaterThan(fence);
    expect((await two.getLease('projection/cases'))?.owner).toBe('p2');
    // Within the store that holds the lock, the time-based rules apply between its owners.
    expect(await two.acquireLease('projection/cases', 'p3', 1_000, 2_000)).toBe(false);
    expect(await two.acquireLease('projection/cases', 'p3', 1_000, 61_000)).toBeTruthy();
  });

  it('hands the lock on with the release of the last owner, and with close', async () => {
    const [one, two, three] = [openStore(), openStore(), openStore()];
    await one.acquireLease('a', 'p1', 60_000, 0);
    await one.acquireLease('b', 'p1', 60_000, 0);
    await one.releaseLease('a', 'other');
    expect(await two.acquireLease('a', 'p2', 60_000, 0)).toBe(false);
    await one.releaseLease('a', 'p1');
    expect(await two.acquireLease('a', 'p2', 60_000, 0)).toBeTruthy();
    expect(await three.acquireLease('b', 'p3', 60_000, 0)).toBe(false);
    await one.close();
    expect(await three.acquireLease('b', 'p3', 60_000, 0)).toBeTruthy();
  });

  it('keeps time-based leases in memory, where no other process can share the store', async () => {
    const store = openStore(':memory:');
    expect(await store.acquireLease('a', 'p1', 1_000, 0)).toBe(1);
    expect(await store.acquireLease('a', 'p2', 1_000, 500)).toBe(false);
    expect(await store.acquireLease('a', 'p2', 1_000, 1_000)).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('adds the fence columns to a file of the earlier schema, keeping its leases and checkpoints', async () => {
    const file = join(dir, 'old.sqlite');
    const old = new Database(file);
    old.exec(`CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
      INSERT INTO leases VALUES ('projection/cases', 'gone', 5000); INSERT INTO checkpoints VALUES ('cases@1', 42);`);
    old.close();
    const store = openStore(file);
    expect(await store.getLease('projection/cases')).toEqual({ name: 'projection/cases', owner: 'gone', expiresAt: 5000 });
    expect(await store.acquireLease('projection/cases', 'p1', 1_000, 0)).toBe(1);
    await store.ensureCollection({ name: 'cases@1', indexes: ['status'] });
    await store.commit('cases@1', [], { name: 'cases@1', expected: 42n, next: 42n, fence: 1 });
    expect(await store.getCheckpoint('cases@1')).toBe(42n);
  });

  it('serves a collection dropped (and recreated) by another connection', async () => {
    const [one, two] = [openStore(), openStore()];
    const collection = `${uniqueName()}@1`;
    await one.ensureCollection({ name: collection, indexes: ['status'] });
    await commitWrites(one, collection, [docWrite('a', {}, 1n, { status: 'x' })]);
    expect(await two.count(collection)).toBe(1);
    await one.dropCollection(collection);
    expect(await two.count(collection)).toBe(0);
    expect(await two.get(collection, 'a')).toBeNull();
    await one.ensureCollection({ name: collection, indexes: ['status'] });
    await commitWrites(one, collection, [docWrite('b', {}, 2n, { status: 'x' })]);
    expect(await two.find(collection, { sortBy: 'status', limit: 5 })).toHaveLength(1);
  });

  it('pages through the (field, id) index of the sort field', async () => {
    const store = openStore();
    const collection = `${uniqueName()}@1`;
    await store.ensureCollection({ name: collection, indexes: ['status', 'due'] });
    const table = storageNameOf(collection);
    const query = findSql(table, { sortBy: 'due', after: { value: '2025-03-01', id: 'c7' }, limit: 10 });
    const db = new Database(join(dir, 'nested', 'read.sqlite'), { readonly: true });
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as { detail: string }[];
    db.close();
    expect(plan.map((row) => row.detail).join('\n')).toMatch(`SEARCH ${table} USING INDEX ${table}__due`);
  });

  const planOf = (sql: { sql: string; params: readonly unknown[] }): string => {
    const db = new Database(join(dir, 'nested', 'read.sqlite'), { readonly: true });
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql.sql}`).all(...sql.params) as { detail: string }[];
    db.close();
    return plan.map((row) => row.detail).join('\n');
  };
  const tunedSpec = (name: string) => ({
    name,
    indexes: ['status', 'due', 'name'],
    compoundIndexes: [['status', 'due']],
    searchIndexes: ['name'],
  });
  const fill = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      docWrite(`c${String(i).padStart(4, '0')}`, { i }, BigInt(i + 1), {
        status: ['active', 'closed', 'referred'][i % 3],
        due: `2025-${String(1 + (i % 12)).padStart(2, '0')}-01`,
        name: `Familie Nummer ${i}`,
      }),
    );

  it('walks the (status, due) index for a status filter sorted by due: no sort of every match', async () => {
    const store = openStore();
    const spec = tunedSpec(`${uniqueName()}@1`);
    await store.ensureCollection(spec);
    const table = storageNameOf(spec.name);
    const plan = planOf(findSql(table, { filters: [{ field: 'status', op: 'eq', value: 'closed' }], sortBy: 'due', limit: 51 }));
    expect(plan).toMatch(`SEARCH ${table} USING INDEX ${table}__status__due (ix_status=?)`);
    expect(plan).not.toMatch('TEMP B-TREE');
  });

  it('finds substrings through the trigram table, and without it by scanning, with the same result', async () => {
    const store = openStore();
    const spec = tunedSpec(`${uniqueName()}@1`);
    await store.ensureCollection(spec);
    await commitWrites(store, spec.name, fill(300));
    const table = storageNameOf(spec.name);
    const query = { filters: [{ field: 'name', op: 'contains', value: 'nummer 12' }] as const, sortBy: 'due', limit: 100 };
    expect(planOf(findSql(table, query, { table, fields: new Set(['name']) }))).toMatch(`VIRTUAL TABLE INDEX`);
    expect(planOf(findSql(table, query))).not.toMatch('VIRTUAL TABLE');
    const found = (await store.find(spec.name, query)).map((d) => d.id).sort();
    expect(found).toEqual(['c0012', 'c0120', 'c0121', 'c0122', 'c0123', 'c0124', 'c0125', 'c0126', 'c0127', 'c0128', 'c0129']);
  });

  it('answers a needle found in thousands of rows by walking the sort order, with the same result', async () => {
    const store = openStore();
    const spec = tunedSpec(`${uniqueName()}@1`);
    await store.ensureCollection(spec);
    await commitWrites(store, spec.name, fill(2_500));
    const common = { filters: [{ field: 'name', op: 'contains', value: 'familie' }] as const, sortBy: 'due', limit: 3 };
    // Sorted by (due, id): due 2025-01-01 belongs to every twelfth document, c0000, c0012, c0024, …
    expect((await store.find(spec.name, common)).map((d) => d.id)).toEqual(['c0000', 'c0012', 'c0024']);
    expect(await store.count(spec.name, common.filters)).toBe(2_500);
    const rare = { ...common, filters: [{ field: 'name', op: 'contains', value: 'nummer 2499' }] as const };
    expect((await store.find(spec.name, rare)).map((d) => d.id)).toEqual(['c2499']);
  });

  it('defers the secondary indexes to ensureIndexes, which builds them and the planner statistics', async () => {
    const file = join(dir, 'nested', 'read.sqlite');
    const spec = tunedSpec(`${uniqueName()}@1`);
    const table = storageNameOf(spec.name);
    const inspect = () => {
      const db = new Database(file, { readonly: true });
      try {
        const indexes = db
          .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
          .pluck()
          .get(table);
        const fts = db.prepare('SELECT count(*) FROM sqlite_master WHERE name = ?').pluck().get(`${table}__fts_name`);
        const stats =
          db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").pluck().get() === 1
            ? db.prepare('SELECT count(*) FROM sqlite_stat1 WHERE tbl = ?').pluck().get(table)
            : 0;
        return { indexes, fts, stats };
      } finally {
        db.close();
      }
    };
    const first = openStore(file);
    await first.ensureCollection(spec, { deferIndexes: true });
    await commitWrites(first, spec.name, fill(200));
    // A crash before the indexes were built: the next process (connection) still defers, then builds them.
    await first.close();
    const second = openStore(file);
    await second.ensureCollection(spec, { deferIndexes: true });
    expect(inspect()).toEqual({ indexes: 0, fts: 0, stats: 0 });
    await second.ensureIndexes(spec);
    // Statistics for the 4 indexes and the primary key's.
    expect(inspect()).toEqual({ indexes: 4, fts: 1, stats: 5 });
    expect(await second.count(spec.name, [{ field: 'name', op: 'contains', value: 'nummer 19' }])).toBe(11);
  });
});
