import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitWrites, docWrite, uniqueName } from '../../testing';
import { ReadStoreUnavailableError } from '../errors';
import type { CollectionSpec } from '../port';
import { SqliteReadStore } from './sqlite-read-store';

/** Decision 0049: a collection (an old generation) is dropped in short steps, and a drop cut short is finished later. */
describe('SqliteReadStore drop in steps', () => {
  const NAME = 'Familie Abtragung-Schrittweise';
  const ROWS = 400;
  let dir: string;
  let file: string;
  const open: SqliteReadStore[] = [];
  const openStore = (options = {}): SqliteReadStore => {
    const store = new SqliteReadStore(file, options);
    open.push(store);
    return store;
  };
  // Small steps, so that a few hundred documents take many of them.
  const stepwise = { dropStepRows: 20, dropPauseMs: 5 };
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-store-drop-'));
    file = join(dir, 'read.sqlite');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    await rm(dir, { recursive: true, force: true });
  });

  /** A generation as the cases projection has it: index fields, a compound index and a search index on the name. */
  const fill = async (store: SqliteReadStore): Promise<CollectionSpec> => {
    const spec: CollectionSpec = {
      name: `${uniqueName()}@1`,
      indexes: ['status', 'householdName'],
      compoundIndexes: [['status', 'householdName']],
      searchIndexes: ['householdName'],
    };
    await store.ensureCollection(spec);
    const writes = Array.from({ length: ROWS }, (_, n) =>
      docWrite(`case-${n}`, { householdName: `${NAME} ${n}`, notes: 'x'.repeat(300) }, 1n, {
        status: n % 2 ? 'active' : 'closed',
        householdName: `${NAME} ${n}`,
      }),
    );
    await commitWrites(store, spec.name, writes);
    return spec;
  };

  const filesWithName = async (): Promise<string[]> => {
    const found: string[] = [];
    for (const entry of await readdir(dir)) {
      const bytes = await readFile(join(dir, entry));
      if (bytes.includes(Buffer.from(NAME)) || bytes.includes(Buffer.from(NAME.toLowerCase()))) found.push(entry);
    }
    return found;
  };

  it('lets commits of another connection in between its steps, and keeps the collection listed until the last one', async () => {
    const dropper = openStore(stepwise);
    const other = openStore(); // another process's connection to the file
    const spec = await fill(dropper);
    const live = `${uniqueName()}@1`;
    await other.ensureCollection({ name: live, indexes: [] });

    let finished = false;
    const dropping = dropper.dropCollection(spec.name).finally(() => (finished = true));
    const seen: number[] = [];
    let position = 0n;
    while (!finished) {
      await other.commit(live, [docWrite(`d${position}`, { n: 1 }, position + 1n)], {
        name: live,
        expected: position || null,
        next: position + 1n,
      });
      position += 1n;
      if ((await other.listCollections(spec.name)).length === 1) seen.push(await other.count(spec.name));
      await nextTurn();
    }
    await dropping;

    // Commits went on during the drop, which emptied the collection bit by bit while it stayed listed.
    expect(position).toBeGreaterThan(5n);
    expect(seen.some((count) => count > 0 && count < ROWS)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(await other.listCollections(spec.name)).toEqual([]);
    expect(await other.count(spec.name)).toBe(0);
    expect(await other.count(live)).toBe(Number(position));
  });

  it('cut short by the end of its store, leaves the collection listed and partly emptied; dropped again, no piece of it stays in the files', async () => {
    const dropper = openStore(stepwise);
    const spec = await fill(dropper);
    expect(await filesWithName()).not.toEqual([]);

    const dropping = dropper.dropCollection(spec.name);
    const watcher = openStore();
    while ((await watcher.count(spec.name)) === ROWS) await nextTurn();
    await dropper.close(); // as if its process ended between two steps
    await expect(dropping).rejects.toBeInstanceOf(ReadStoreUnavailableError);

    const reopened = openStore();
    expect(await reopened.listCollections(spec.name)).toEqual([spec.name]);
    const left = await reopened.count(spec.name);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(ROWS);

    await reopened.dropCollection(spec.name);
    expect(await reopened.listCollections(spec.name)).toEqual([]);
    expect(await reopened.count(spec.name)).toBe(0);
    // Deleted rows, dropped indexes and search tables are zeroed (secure_delete); the scrub empties the WAL.
    await watcher.close();
    expect(await reopened.scrub()).toBe(true);
    expect(await filesWithName()).toEqual([]);
  });
});
