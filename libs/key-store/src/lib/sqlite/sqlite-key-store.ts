import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertHouseholdId, KeyDestroyedError, KeyStoreUnavailableError } from '../errors';
import { infoOf, KEY_BYTES, type DataKey, type KeyInfo, type KeyStore } from '../port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS data_keys (
    household_id TEXT PRIMARY KEY,
    key          BLOB,
    created_at   TEXT,
    destroyed_at TEXT,
    CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))
  ) WITHOUT ROWID;
`;

interface Row {
  readonly household_id: string;
  readonly key: Buffer | null;
  readonly created_at: string | null;
  readonly destroyed_at: string | null;
}

const toDataKey = (row: Row): DataKey =>
  row.key !== null
    ? { householdId: row.household_id, status: 'active', key: row.key, createdAt: row.created_at ?? '' }
    : { householdId: row.household_id, status: 'destroyed', createdAt: row.created_at, destroyedAt: row.destroyed_at ?? '' };

/** SQLite host parameters per statement stay well below the limit (32766). */
const CHUNK = 500;

export interface SqliteKeyStoreOptions {
  /**
   * Where a new key's material comes from; random (`randomBytes`) unless given. Test-only: the
   * recorder of history fixtures derives keys from a fixed seed, and the fixture test loads the
   * recorded keys through it. Production code never passes it.
   */
  readonly newKey?: (householdId: string) => Buffer;
}

const randomKey = (): Buffer => randomBytes(KEY_BYTES);

/**
 * The embedded key store: a file of its own (`keys.sqlite` in DATA_DIR), so keys and events can be
 * backed up, restored and wiped separately. WAL with synchronous=FULL: a key is on disk before the
 * first event encrypted under it is appended. `secure_delete` overwrites a destroyed key's bytes
 * in the database pages; a TRUNCATE checkpoint after each destruction removes the WAL copy.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly newKey: (householdId: string) => Buffer;

  constructor(file: string, options: SqliteKeyStoreOptions = {}) {
    this.newKey = options.newKey ?? randomKey;
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { timeout: 5000 });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('secure_delete = ON');
      this.db.exec(SCHEMA);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.statements = {
      get: this.db.prepare<[string], Row>('SELECT * FROM data_keys WHERE household_id = ?'),
      insert: this.db.prepare('INSERT INTO data_keys (household_id, key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      destroy: this.db.prepare(`INSERT INTO data_keys (household_id, key, created_at, destroyed_at) VALUES (?, NULL, NULL, ?)
        ON CONFLICT (household_id) DO UPDATE SET key = NULL, destroyed_at = coalesce(destroyed_at, excluded.destroyed_at)`),
      list: this.db.prepare<[], Row>('SELECT * FROM data_keys ORDER BY household_id'),
    };
  }

  async get(householdId: string): Promise<DataKey | null> {
    assertHouseholdId(householdId);
    const row = this.run(() => this.statements.get.get(householdId));
    return row ? toDataKey(row) : null;
  }

  async getMany(householdIds: readonly string[]): Promise<Map<string, DataKey>> {
    householdIds.forEach(assertHouseholdId);
    const unique = [...new Set(householdIds)];
    const found = new Map<string, DataKey>();
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const sql = `SELECT * FROM data_keys WHERE household_id IN (${chunk.map(() => '?').join(',')})`;
      for (const row of this.run(() => this.db.prepare<string[], Row>(sql).all(...chunk))) found.set(row.household_id, toDataKey(row));
    }
    return found;
  }

  async getOrCreate(householdId: string, now: string): Promise<Buffer> {
    assertHouseholdId(householdId);
    const material = this.newKey(householdId);
    if (material.length !== KEY_BYTES) throw new RangeError(`a data key has ${KEY_BYTES} bytes`);
    const row = this.run(() => this.db.transaction(() => {
      this.statements.insert.run(householdId, material, now);
      return this.statements.get.get(householdId) as Row;
    }).immediate());
    if (row.key === null) throw new KeyDestroyedError(householdId);
    return row.key;
  }

  async destroy(householdId: string, now: string): Promise<void> {
    assertHouseholdId(householdId);
    this.run(() => this.statements.destroy.run(householdId, now));
    // The destroyed key's old page may still sit in the WAL: copy back and truncate it now.
    this.run(() => this.db.pragma('wal_checkpoint(TRUNCATE)'));
  }

  async list(options: { readonly status?: KeyInfo['status'] } = {}): Promise<KeyInfo[]> {
    const all = this.run(() => this.statements.list.all()).map((row) => infoOf(toDataKey(row)));
    return options.status ? all.filter((info) => info.status === options.status) : all;
  }

  async ping(): Promise<boolean> {
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** SQLite errors (busy, I/O, closed) become the port's error; checked by code, not class (see README). */
  private run<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof KeyDestroyedError || error instanceof RangeError) throw error;
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('SQLITE_') || !this.db.open) {
        throw new KeyStoreUnavailableError('the key store did not answer', { cause: error });
      }
      throw error;
    }
  }
}

export const KEY_STORE_FILE = 'keys.sqlite';

/** The key store of a data directory. */
export const openSqliteKeyStore = (dataDir: string, options: SqliteKeyStoreOptions = {}): SqliteKeyStore =>
  new SqliteKeyStore(join(dataDir, KEY_STORE_FILE), options);
