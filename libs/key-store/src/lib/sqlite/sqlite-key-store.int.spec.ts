import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyStoreContract } from '../../testing';
import { KeyStoreUnavailableError } from '../errors';
import { GENERATED_KEK_FILE, KeyEncryptionKeyMismatchError, LocalKeyWrapper } from '../wrapping';
import { KEY_STORE_FILE, openSqliteKeyStore } from './sqlite-key-store';

const tempDir = () => mkdtemp(join(tmpdir(), 'key-store-'));

// One KEK for every store of the contract, as the stores of one installation (a migration copies keys between them).
const contractWrapper = new LocalKeyWrapper(randomBytes(32));

keyStoreContract('SQLite', async () => {
  const dir = await tempDir();
  const store = openSqliteKeyStore(dir, { wrapper: contractWrapper });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteKeyStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps keys across a reopen, durably (WAL, synchronous=FULL)', async () => {
    const first = openSqliteKeyStore(dir);
    const { key } = await first.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z');
    await first.close();
    const db = new Database(join(dir, KEY_STORE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const second = openSqliteKeyStore(dir);
    expect((await second.getOrCreate('hh-1', '2026-02-01T00:00:00.000Z')).key.equals(key)).toBe(true);
    await second.close();
  });

  it('leaves no copy of a destroyed key in the database file or its WAL', async () => {
    const store = openSqliteKeyStore(dir);
    const { key } = await store.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z');
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
    const store = openSqliteKeyStore(dir, { newKey: (keyId) => (keyId === 'hh-1' ? material : Buffer.alloc(16)) });
    expect((await store.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z')).key.equals(material)).toBe(true);
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

describe('SqliteKeyStore: keys wrapped with the key-encryption key, files for the owner only', () => {
  const NOW = '2026-01-01T00:00:00.000Z';
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** The store's files (database, WAL) as bytes: what a copy of the key store holds. */
  const storeBytes = async (): Promise<Buffer> =>
    Buffer.concat(
      await Promise.all([KEY_STORE_FILE, `${KEY_STORE_FILE}-wal`].map((file) => readFile(join(dir, file)).catch(() => Buffer.alloc(0)))),
    );
  /** Any 8-byte run of a key: a whole key would be found too, and so would a key split by a page boundary. */
  const holdsPieceOf = (bytes: Buffer, key: Buffer): boolean =>
    Array.from({ length: key.length - 7 }, (_, i) => key.subarray(i, i + 8)).some((piece) => bytes.includes(piece));

  it('stores no byte run of any data key in its files, only the wrapped form', async () => {
    const store = openSqliteKeyStore(dir, { wrapper: new LocalKeyWrapper(randomBytes(32)) });
    const keys = (await Promise.all(Array.from({ length: 20 }, (_, n) => store.getOrCreate(`hh-${n}`, NOW)))).map((k) => k.key);
    const read = await store.getMany(keys.map((_, n) => `hh-${n}`));
    keys.forEach((key, n) => expect(read.get(`hh-${n}`)).toMatchObject({ status: 'active', key }));
    const bytes = await storeBytes();
    expect(keys.filter((key) => holdsPieceOf(bytes, key))).toEqual([]);
    await store.close();
  });

  it('refuses to work under another key-encryption key, naming both ids, before anything is written', async () => {
    const right = new LocalKeyWrapper(randomBytes(32));
    const wrong = new LocalKeyWrapper(randomBytes(32));
    const first = openSqliteKeyStore(dir, { wrapper: right });
    const { key } = await first.getOrCreate('hh-1', NOW);
    await first.close();
    const mistaken = openSqliteKeyStore(dir, { wrapper: wrong });
    await expect(mistaken.ready()).rejects.toThrow(new KeyEncryptionKeyMismatchError(right.id, wrong.id));
    await expect(mistaken.get('hh-1')).rejects.toBeInstanceOf(KeyEncryptionKeyMismatchError);
    await expect(mistaken.getOrCreate('hh-2', NOW)).rejects.toBeInstanceOf(KeyEncryptionKeyMismatchError);
    expect(await mistaken.ping()).toBe(false);
    await mistaken.close();
    const again = openSqliteKeyStore(dir, { wrapper: right });
    expect(await again.get('hh-2')).toBeNull();
    expect(await again.get('hh-1')).toMatchObject({ key });
    await again.close();
  });

  it('refuses to import keys wrapped under another key-encryption key, importing none of them', async () => {
    const source = openSqliteKeyStore(join(dir, 'source'), { wrapper: new LocalKeyWrapper(randomBytes(32)) });
    await source.getOrCreate('hh-1', NOW);
    await source.destroy('hh-0', NOW);
    const target = openSqliteKeyStore(join(dir, 'target'), { wrapper: new LocalKeyWrapper(randomBytes(32)) });
    await expect(target.importWrapped(await source.exportWrapped())).rejects.toBeInstanceOf(KeyEncryptionKeyMismatchError);
    expect(await target.list()).toEqual([]);
    await Promise.all([source.close(), target.close()]);
  });

  it('wraps the bare keys an earlier version stored, keeping them, and leaves no bare copy in the files', async () => {
    const bare = [randomBytes(32), randomBytes(32)];
    mkdirSync(dir, { recursive: true });
    const old = new Database(join(dir, KEY_STORE_FILE));
    old.pragma('journal_mode = WAL');
    old.exec(
      'CREATE TABLE data_keys (household_id TEXT PRIMARY KEY, key BLOB, created_at TEXT, destroyed_at TEXT, CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))) WITHOUT ROWID',
    );
    bare.forEach((key, n) => old.prepare('INSERT INTO data_keys VALUES (?, ?, ?, NULL)').run(`hh-${n}`, key, NOW));
    old.close();
    expect(holdsPieceOf(await storeBytes(), bare[0])).toBe(true);
    const store = openSqliteKeyStore(dir, { wrapper: new LocalKeyWrapper(randomBytes(32)) });
    expect(await store.get('hh-0')).toMatchObject({ status: 'active', key: bare[0] });
    expect(await store.get('hh-1')).toMatchObject({ key: bare[1] });
    const bytes = await storeBytes();
    expect(bare.filter((key) => holdsPieceOf(bytes, key))).toEqual([]);
    await store.close();
  });

  it('re-wraps every key under a new key-encryption key (rotation), re-runnable, keeping tombstones', async () => {
    const [before, after] = [new LocalKeyWrapper(randomBytes(32)), new LocalKeyWrapper(randomBytes(32))];
    const store = openSqliteKeyStore(dir, { wrapper: before });
    const keys = (await Promise.all(['hh-1', 'hh-2', 'hh-3'].map((id) => store.getOrCreate(id, NOW)))).map((k) => k.key);
    await store.destroy('hh-3', NOW);
    expect(await store.rewrap(after)).toEqual({ rewrapped: 2, already: 0 });
    expect(await store.rewrap(after)).toEqual({ rewrapped: 0, already: 2 });
    await store.close();
    const rotated = openSqliteKeyStore(dir, { wrapper: after });
    expect(await rotated.get('hh-1')).toMatchObject({ key: keys[0] });
    expect(await rotated.get('hh-2')).toMatchObject({ key: keys[1] });
    expect(await rotated.get('hh-3')).toMatchObject({ status: 'destroyed' });
    await rotated.close();
    const stale = openSqliteKeyStore(dir, { wrapper: before });
    await expect(stale.ready()).rejects.toBeInstanceOf(KeyEncryptionKeyMismatchError);
    await stale.close();
  });

  it('without a configured one, generates its key-encryption key into a file of its own, once, and keeps using it', async () => {
    const first = openSqliteKeyStore(dir);
    const { key } = await first.getOrCreate('hh-1', NOW);
    await first.close();
    const kek = await readFile(join(dir, GENERATED_KEK_FILE), 'utf8');
    expect(Buffer.from(kek.trim(), 'base64')).toHaveLength(32);
    expect((await storeBytes()).includes(Buffer.from(kek.trim(), 'base64'))).toBe(false);
    const second = openSqliteKeyStore(dir);
    expect(await second.get('hh-1')).toMatchObject({ key });
    await second.close();
    expect(await readFile(join(dir, GENERATED_KEK_FILE), 'utf8')).toBe(kek);
  });

  it('keeps its directory 0700 and its files 0600 (database, WAL, shared memory, KEK), whatever the umask; narrows older ones', async () => {
    const data = join(dir, 'data');
    const umask = process.umask(0o022);
    try {
      mkdirSync(data, { mode: 0o755 });
      const store = openSqliteKeyStore(data);
      await store.getOrCreate('hh-1', NOW);
      const modes = () =>
        Object.fromEntries(readdirSync(data).map((file) => [file, (statSync(join(data, file)).mode & 0o777).toString(8)]));
      expect((statSync(data).mode & 0o777).toString(8)).toBe('700');
      expect(modes()).toEqual({
        [KEY_STORE_FILE]: '600',
        [`${KEY_STORE_FILE}-wal`]: '600',
        [`${KEY_STORE_FILE}-shm`]: '600',
        [GENERATED_KEK_FILE]: '600',
      });
      await store.close();
      // A store left by an earlier version, readable by everyone.
      chmodSync(data, 0o755);
      for (const file of readdirSync(data)) chmodSync(join(data, file), 0o644);
      const reopened = openSqliteKeyStore(data);
      await reopened.get('hh-1');
      expect((statSync(data).mode & 0o777).toString(8)).toBe('700');
      expect(Object.values(modes()).every((mode) => mode === '600')).toBe(true);
      await reopened.close();
    } finally {
      process.umask(umask);
    }
  });
});
