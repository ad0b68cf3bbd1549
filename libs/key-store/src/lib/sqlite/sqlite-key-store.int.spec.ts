import Database from 'better-sqlite3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyStoreContract } from '../../testing';
import { KeyStoreUnavailableError } from '../errors';
import { KEY_STORE_FILE, openSqliteKeyStore } from './sqlite-key-store';

const tempDir = () => mkdtemp(join(tmpdir(), 'key-store-'));

keyStoreContract('SQLite', async () => {
  const dir = await tempDir();
  const store = openSqliteKeyStore(dir);
  return { store, cleanup: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
});

describe('SqliteKeyStore', () => {
  let dir: string;
  beforeEach(async () => { dir = await tempDir(); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps keys across a reopen, durably (WAL, synchronous=FULL)', async () => {
    const first = openSqliteKeyStore(dir);
    const key = await first.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z');
    await first.close();
    const db = new Database(join(dir, KEY_STORE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const second = openSqliteKeyStore(dir);
    expect((await second.getOrCreate('hh-1', '2026-02-01T00:00:00.000Z')).equals(key)).toBe(true);
    await second.close();
  });

  it('leaves no copy of a destroyed key in the database file or its WAL', async () => {
    const store = openSqliteKeyStore(dir);
    const key = await store.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z');
    await store.destroy('hh-1', '2026-01-02T00:00:00.000Z');
    const files = [KEY_STORE_FILE, `${KEY_STORE_FILE}-wal`];
    for (const file of files) {
      const bytes = await readFile(join(dir, file)).catch(() => Buffer.alloc(0));
      expect(bytes.includes(key)).toBe(false);
    }
    await store.close();
  });

  it('takes new key material from a given source (test fixtures), checked for length', async () => {
    const material = Buffer.alloc(32, 7);
    const store = openSqliteKeyStore(dir, { newKey: (householdId) => (householdId === 'hh-1' ? material : Buffer.alloc(16)) });
    expect((await store.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z')).equals(material)).toBe(true);
    await expect(store.getOrCreate('hh-2', '2026-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(RangeError);
    expect(await store.get('hh-2')).toBeNull();
    await store.close();
  });

  it('reports a closed store as unavailable', async () => {
    const store = openSqliteKeyStore(dir);
    await store.close();
    await expect(store.get('hh-1')).rejects.toBeInstanceOf(KeyStoreUnavailableError);
    expect(await store.ping()).toBe(false);
  });
});
