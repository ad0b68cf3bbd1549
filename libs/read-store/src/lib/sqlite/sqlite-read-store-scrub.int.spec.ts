import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitWrites, docWrite, uniqueName } from '../../testing';
import { openSqliteReadStore } from './sqlite-read-store';

/** An erased household's name must leave the read store's files, not only its answers (scrub()). */
describe('SqliteReadStore scrub', () => {
  const NAME = 'Familie Spurlos-Kernbeisser';
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'read-store-scrub-')); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** The files of the store that hold the planted name (the database, its WAL). */
  const filesWithName = async (): Promise<string[]> => {
    const found: string[] = [];
    for (const file of await readdir(dir)) if ((await readFile(join(dir, file))).includes(Buffer.from(NAME))) found.push(file);
    return found;
  };

  it('leaves no copy of an overwritten or deleted document in the files once scrubbed', async () => {
    const store = openSqliteReadStore(dir);
    const collection = `${uniqueName()}@1`;
    await store.ensureCollection({ name: collection, indexes: ['householdName'] });
    const others = Array.from({ length: 50 }, (_, n) => docWrite(`other-${n}`, { householdName: `Familie ${n}`, notes: 'x'.repeat(200) }, 1n, { householdName: `familie ${n}` }));
    await commitWrites(store, collection, [...others, docWrite('a', { householdName: NAME }, 2n, { householdName: NAME.toLowerCase() }), docWrite('b', { householdName: NAME }, 2n)]);
    expect(await filesWithName()).not.toEqual([]);
    await commitWrites(store, collection, [docWrite('a', { erased: true }, 3n, { householdName: null }), docWrite('b', null, 3n)]);
    expect(await filesWithName()).toEqual(['read.sqlite-wal']); // the earlier page versions
    expect(await store.scrub()).toBe(true);
    expect(await filesWithName()).toEqual([]);
    expect((await store.get(collection, 'a'))?.doc).toEqual({ erased: true });
    await store.close();
  });

  it('reports a scrub that another connection kept from finishing, and finishes it later', async () => {
    const [store, reader] = [openSqliteReadStore(dir), openSqliteReadStore(dir)];
    const collection = `${uniqueName()}@1`;
    await store.ensureCollection({ name: collection, indexes: [] });
    await commitWrites(store, collection, [docWrite('a', { householdName: NAME }, 1n)]);
    // A read in progress elsewhere: an open iterator holds a read transaction on the WAL.
    const pending = (reader as unknown as { db: { prepare(sql: string): { iterate(): Iterator<unknown> } } }).db
      .prepare('SELECT name FROM collections UNION ALL SELECT name FROM collections').iterate();
    pending.next();
    expect(await store.scrub()).toBe(false);
    pending.return?.();
    expect(await store.scrub()).toBe(true);
    await Promise.all([store.close(), reader.close()]);
  });
});
