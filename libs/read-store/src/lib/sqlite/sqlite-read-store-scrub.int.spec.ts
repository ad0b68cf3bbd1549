import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitWrites, docWrite, uniqueName } from '../../testing';
import Database from 'better-sqlite3';
import { storageNameOf } from '../collections';
import { openSqliteReadStore } from './sqlite-read-store';
import { searchTable } from './sqlite-schema';

/** An erased household's name must leave the read store's files, not only its answers (scrub()). */
describe('SqliteReadStore scrub', () => {
  const NAME = 'Familie Spurlos-Kernbeisser';
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-store-scrub-'));
  });
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
    const others = Array.from({ length: 50 }, (_, n) =>
      docWrite(`other-${n}`, { householdName: `Familie ${n}`, notes: 'x'.repeat(200) }, 1n, { householdName: `familie ${n}` }),
    );
    await commitWrites(store, collection, [
      ...others,
      docWrite('a', { householdName: NAME }, 2n, { householdName: NAME.toLowerCase() }),
      docWrite('b', { householdName: NAME }, 2n),
    ]);
    expect(await filesWithName()).not.toEqual([]);
    await commitWrites(store, collection, [docWrite('a', { erased: true }, 3n, { householdName: null }), docWrite('b', null, 3n)]);
    expect(await filesWithName()).toEqual(['read.sqlite-wal']); // the earlier page versions
    expect(await store.scrub()).toBe(true);
    expect(await filesWithName()).toEqual([]);
    expect((await store.get(collection, 'a'))?.doc).toEqual({ erased: true });
    await store.close();
  });

  /** Every 3-character piece of the search text (the trigrams the name search index stores). */
  const trigramsIn = async (text: string): Promise<string[]> => {
    const pieces = Array.from({ length: text.length - 2 }, (_, i) => text.slice(i, i + 3)).filter((piece) => /^[a-z]{3}$/.test(piece));
    const found = new Set<string>();
    for (const file of await readdir(dir)) {
      const bytes = await readFile(join(dir, file));
      for (const piece of pieces) if (bytes.includes(Buffer.from(piece))) found.add(piece);
    }
    return [...found];
  };

  it('leaves no trigram of a deleted search text in the files, also in a search index made before secure-delete', async () => {
    const secret = 'familie qwyxzjvkoq';
    const collection = `${uniqueName()}@1`;
    const spec = { name: collection, indexes: ['householdName'], searchIndexes: ['householdName'] };
    const others = Array.from({ length: 50 }, (_, n) => docWrite(`other-${n}`, { n }, 1n, { householdName: `familie nummer ${n}` }));
    const first = openSqliteReadStore(dir);
    await first.ensureCollection(spec);
    await commitWrites(first, collection, [...others, docWrite('a', { n: 'a' }, 1n, { householdName: secret })]);
    await first.close();
    // As an earlier version made the index: FTS5 deleted by adding a marker, the entries stayed.
    const table = storageNameOf(collection);
    const fts = `"${searchTable(table, 'householdName')}"`;
    const raw = new Database(join(dir, 'read.sqlite'));
    raw.pragma('secure_delete = ON'); // as the read store's own connection
    raw.exec(`INSERT INTO ${fts} (${fts}, rank) VALUES ('secure-delete', 0)`);
    raw.prepare(`UPDATE "${table}" SET doc = '{"erased":true}', "ix_householdName" = NULL, "lc_householdName" = NULL WHERE id = 'a'`).run();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    expect(await trigramsIn(secret)).toContain('qwy'); // the old index kept them
    const reopened = openSqliteReadStore(dir);
    await reopened.ensureCollection(spec); // switches secure-delete on and merges the old entries away
    await commitWrites(reopened, collection, [docWrite('b', { n: 'b' }, 3n, { householdName: secret }), docWrite('b', null, 4n)]);
    expect(await reopened.scrub()).toBe(true);
    expect((await trigramsIn(secret)).filter((piece) => !'familie nummer'.includes(piece))).toEqual([]);
    const found = await reopened.find(collection, {
      filters: [{ field: 'householdName', op: 'contains', value: 'nummer 4' }],
      sortBy: 'householdName',
      limit: 100,
    });
    expect(found.map((doc) => doc.id).sort()).toEqual([
      'other-4',
      'other-40',
      'other-41',
      'other-42',
      'other-43',
      'other-44',
      'other-45',
      'other-46',
      'other-47',
      'other-48',
      'other-49',
    ]);
    await reopened.close();
  });

  it('reports a scrub that another connection kept from finishing, and finishes it later', async () => {
    const [store, reader] = [openSqliteReadStore(dir), openSqliteReadStore(dir)];
    const collection = `${uniqueName()}@1`;
    await store.ensureCollection({ name: collection, indexes: [] });
    await commitWrites(store, collection, [docWrite('a', { householdName: NAME }, 1n)]);
    // A read in progress elsewhere: an open iterator holds a read transaction on the WAL.
    const pending = (reader as unknown as { db: { prepare(sql: string): { iterate(): Iterator<unknown> } } }).db
      .prepare('SELECT name FROM collections UNION ALL SELECT name FROM collections')
      .iterate();
    pending.next();
    expect(await store.scrub()).toBe(false);
    pending.return?.();
    expect(await store.scrub()).toBe(true);
    await Promise.all([store.close(), reader.close()]);
  });
});
