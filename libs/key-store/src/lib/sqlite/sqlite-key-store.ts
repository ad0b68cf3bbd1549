import { preparePrivateFile } from '@wih/event-store';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { assertHouseholdId, assertKeyId, KeyDestroyedError, KeyStoreUnavailableError } from '../errors';
import {
  KEY_BYTES,
  keyIdOf,
  parseKeyId,
  type DataKey,
  type HouseholdKey,
  type KeyImport,
  type KeyInfo,
  type KeyStore,
  type RewrapReport,
  type StoredKeyRecord,
  type WrappedKeyCopy,
} from '../port';
import {
  assertWrappedUnder,
  encodeWrapped,
  generatedKeyWrapper,
  isUnwrapped,
  KeyEncryptionKeyMismatchError,
  kekIdOfStoredForm,
  keyOfStoredForm,
  storedFormOf,
  type KeyWrapper,
} from '../wrapping';

/** `household_id` holds the key id (keyIdOf): a household's first key under its own id, as before generations. */
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

const identityOf = (row: Row) => ({ keyId: row.household_id, ...parseKeyId(row.household_id) });

/** A row's record; the key column holds the wrapped key (or, from earlier versions, the bare one). */
const toDataKey = async (row: Row, wrapper: KeyWrapper): Promise<DataKey> =>
  row.key !== null
    ? {
        ...identityOf(row),
        status: 'active',
        key: await keyOfStoredForm(wrapper, row.household_id, row.key),
        createdAt: row.created_at ?? '',
      }
    : { ...identityOf(row), status: 'destroyed', createdAt: row.created_at, destroyedAt: row.destroyed_at ?? '' };

const infoOfRow = (row: Row): KeyInfo => ({
  ...identityOf(row),
  status: row.key === null ? 'destroyed' : 'active',
  createdAt: row.created_at,
  destroyedAt: row.destroyed_at,
});

/** The latest generation among a household's rows (generationsOf), or undefined when it has none. */
const latestOf = (rows: readonly Row[]): Row | undefined =>
  rows.reduce<Row | undefined>(
    (latest, row) => (!latest || parseKeyId(row.household_id).generation > parseKeyId(latest.household_id).generation ? row : latest),
    undefined,
  );

/** SQLite host parameters per statement stay well below the limit (32766). */
const CHUNK = 500;

export interface SqliteKeyStoreOptions {
  /**
   * Where a new key's material comes from (by key id); random (`randomBytes`) unless given. Test-only: the
   * recorder of history fixtures derives keys from a fixed seed, and the fixture test loads the
   * recorded keys through it. Production code never passes it.
   */
  readonly newKey?: (keyId: string) => Buffer;
  /**
   * Wraps every stored key with the key-encryption key (wrapping.ts). Unless given: the generated
   * development KEK, `key-encryption.key` beside the store file (runtime passes the configured one).
   */
  readonly wrapper?: KeyWrapper;
}

const randomKey = (): Buffer => randomBytes(KEY_BYTES);

/**
 * The embedded key store: a file of its own (`keys.sqlite` in DATA_DIR), so keys and events can be
 * backed up, restored and wiped separately. WAL with synchronous=FULL: a key is on disk before the
 * first event encrypted under it is appended. `secure_delete` overwrites a destroyed key's bytes
 * in the database pages; a TRUNCATE checkpoint after each destruction removes the WAL copy.
 * Keys are stored wrapped under the KEK; bare keys of earlier versions are wrapped when the store
 * is first used (and read as they are until then).
 */
export class SqliteKeyStore implements KeyStore, WrappedKeyCopy {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly newKey: (keyId: string) => Buffer;
  private readonly wrapper: KeyWrapper;
  private prepared: Promise<void> | null = null;

  constructor(file: string, options: SqliteKeyStoreOptions = {}) {
    this.newKey = options.newKey ?? randomKey;
    preparePrivateFile(file);
    this.wrapper = options.wrapper ?? generatedKeyWrapper(dirname(file));
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
      // The household's own id and its later generations' `<id>#<n>`: the range of ids after `<id>#`, before `<id>$`.
      generations: this.db.prepare<[string, string, string], Row>(
        'SELECT * FROM data_keys WHERE household_id = ? OR (household_id > ? AND household_id < ?)',
      ),
      destroyLater: this.db.prepare(`UPDATE data_keys SET key = NULL, destroyed_at = coalesce(destroyed_at, ?)
        WHERE household_id > ? AND household_id < ?`),
      list: this.db.prepare<[], Row>('SELECT * FROM data_keys ORDER BY household_id'),
      active: this.db.prepare<[], Row>('SELECT * FROM data_keys WHERE key IS NOT NULL ORDER BY household_id'),
      insertRecord: this.db.prepare('INSERT INTO data_keys (household_id, key, created_at, destroyed_at) VALUES (?, ?, ?, ?)'),
      wipe: this.db.prepare('UPDATE data_keys SET key = NULL, destroyed_at = coalesce(destroyed_at, ?) WHERE household_id = ?'),
      replaceKey: this.db.prepare('UPDATE data_keys SET key = ? WHERE household_id = ? AND key = ?'),
    };
  }

  /**
   * Before first use: the keys must be wrapped under the configured KEK (a wrong one is refused
   * here, before anything is written under it); keys stored bare by earlier versions are wrapped.
   */
  ready(): Promise<void> {
    this.prepared ??= this.prepare().catch((error: unknown) => {
      this.prepared = null;
      throw error;
    });
    return this.prepared;
  }

  /** `alsoAccepted`: the new KEK of a rotation, under which a rerun finds every key. */
  private async prepare(alsoAccepted?: KeyWrapper): Promise<void> {
    const rows = this.run(() => this.statements.active.all());
    const wrapped = rows.filter((row) => !isUnwrapped(row.key as Buffer));
    const under = (wrapper: KeyWrapper | undefined) => {
      const prefix = wrapper && encodeWrapped(wrapper.id, Buffer.alloc(0));
      return (row: Row) => prefix !== undefined && (row.key as Buffer).subarray(0, prefix.length).equals(prefix);
    };
    if (wrapped.length > 0 && !wrapped.some(under(this.wrapper)) && !wrapped.some(under(alsoAccepted))) {
      throw new KeyEncryptionKeyMismatchError(kekIdOfStoredForm(wrapped[0].key as Buffer) ?? '?', this.wrapper.id);
    }
    const bare = rows.filter((row) => isUnwrapped(row.key as Buffer));
    for (const row of bare) {
      const stored = await storedFormOf(this.wrapper, row.household_id, row.key as Buffer);
      this.run(() => this.statements.replaceKey.run(stored, row.household_id, row.key));
    }
    // secure_delete overwrote the bare keys in the pages; their earlier versions leave the WAL here.
    if (bare.length > 0) this.run(() => this.db.pragma('wal_checkpoint(TRUNCATE)'));
  }

  async rewrap(to: KeyWrapper): Promise<RewrapReport> {
    await this.prepare(to);
    let rewrapped = 0;
    let already = 0;
    for (const row of this.run(() => this.statements.active.all())) {
      const stored = row.key as Buffer;
      if (kekIdOfStoredForm(stored) === to.id) {
        already += 1;
        continue;
      }
      const key = await keyOfStoredForm(this.wrapper, row.household_id, stored);
      const next = await storedFormOf(to, row.household_id, key);
      // Guarded on the old form: a key destroyed meanwhile stays destroyed.
      if (this.run(() => this.statements.replaceKey.run(next, row.household_id, stored)).changes > 0) rewrapped += 1;
    }
    this.run(() => this.db.pragma('wal_checkpoint(TRUNCATE)'));
    return { rewrapped, already };
  }

  async get(keyId: string): Promise<DataKey | null> {
    assertKeyId(keyId);
    await this.ready();
    const row = this.run(() => this.statements.get.get(keyId));
    return row ? toDataKey(row, this.wrapper) : null;
  }

  async getMany(keyIds: readonly string[]): Promise<Map<string, DataKey>> {
    keyIds.forEach(assertKeyId);
    await this.ready();
    const unique = [...new Set(keyIds)];
    const found = new Map<string, DataKey>();
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      const sql = `SELECT * FROM data_keys WHERE household_id IN (${chunk.map(() => '?').join(',')})`;
      for (const row of this.run(() => this.db.prepare<string[], Row>(sql).all(...chunk)))
        found.set(row.household_id, await toDataKey(row, this.wrapper));
    }
    return found;
  }

  getOrCreate(householdId: string, now: string): Promise<HouseholdKey> {
    return this.current(householdId, now, false);
  }

  renew(householdId: string, now: string): Promise<HouseholdKey> {
    return this.current(householdId, now, true);
  }

  /**
   * The latest generation, or a new one: the first when there is none; the next when the latest is
   * destroyed and `renew`. A new one is inserted in an immediate transaction that checks that the
   * latest is still the one seen, so concurrent callers (also other processes on the file) agree.
   * Its material is wrapped before the transaction: SQLite's transaction cannot await.
   */
  private async current(householdId: string, now: string, renew: boolean): Promise<HouseholdKey> {
    assertHouseholdId(householdId);
    await this.ready();
    const latest = latestOf(this.generationsOf(householdId));
    if (latest?.key != null)
      return { keyId: latest.household_id, key: await keyOfStoredForm(this.wrapper, latest.household_id, latest.key) };
    if (latest && !renew) throw new KeyDestroyedError(householdId);
    const next = keyIdOf(householdId, latest === undefined ? 1 : parseKeyId(latest.household_id).generation + 1);
    const material = this.newKey(next);
    if (material.length !== KEY_BYTES) throw new RangeError(`a data key has ${KEY_BYTES} bytes`);
    const stored = await storedFormOf(this.wrapper, next, material);
    const created = this.run(() =>
      this.db
        .transaction(() => {
          // Another caller created or destroyed a first key, or created a generation, meanwhile: decide again.
          if (latestOf(this.generationsOf(householdId))?.household_id !== latest?.household_id) return false;
          this.statements.insert.run(next, stored, now);
          return true;
        })
        .immediate(),
    );
    return created ? { keyId: next, key: material } : this.current(householdId, now, renew);
  }

  private generationsOf(householdId: string): Row[] {
    return this.run(() => this.statements.generations.all(householdId, `${householdId}#`, `${householdId}$`));
  }

  async destroy(householdId: string, now: string): Promise<void> {
    assertHouseholdId(householdId);
    this.run(() =>
      this.db
        .transaction(() => {
          this.statements.destroy.run(householdId, now);
          this.statements.destroyLater.run(now, `${householdId}#`, `${householdId}$`);
        })
        .immediate(),
    );
    // The destroyed keys' old pages may still sit in the WAL: copy back and truncate it now.
    this.run(() => this.db.pragma('wal_checkpoint(TRUNCATE)'));
  }

  async list(options: { readonly status?: KeyInfo['status'] } = {}): Promise<KeyInfo[]> {
    const all = this.run(() => this.statements.list.all()).map(infoOfRow);
    return options.status ? all.filter((info) => info.status === options.status) : all;
  }

  async exportWrapped(): Promise<StoredKeyRecord[]> {
    await this.ready();
    return this.run(() => this.statements.list.all()).map((row) => ({
      keyId: row.household_id,
      wrapped: row.key === null ? null : Buffer.from(row.key),
      createdAt: row.created_at,
      destroyedAt: row.destroyed_at,
    }));
  }

  async importWrapped(records: readonly StoredKeyRecord[]): Promise<KeyImport> {
    await this.ready();
    records.forEach((record) => assertKeyId(record.keyId));
    assertWrappedUnder(this.wrapper, records);
    const result = this.run(() =>
      this.db
        .transaction((): KeyImport => {
          let added = 0;
          let destroyed = 0;
          for (const record of records) {
            const row = this.statements.get.get(record.keyId);
            if (!row) {
              this.statements.insertRecord.run(
                record.keyId,
                record.wrapped,
                record.createdAt,
                record.wrapped === null ? record.destroyedAt : null,
              );
              added += 1;
            } else if (row.key !== null && record.wrapped === null) {
              this.statements.wipe.run(record.destroyedAt, record.keyId);
              destroyed += 1;
            }
          }
          return { added, destroyed, unchanged: records.length - added - destroyed };
        })
        .immediate(),
    );
    if (result.destroyed > 0) this.run(() => this.db.pragma('wal_checkpoint(TRUNCATE)'));
    return result;
  }

  async ping(): Promise<boolean> {
    try {
      await this.ready();
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
      if (error instanceof KeyDestroyedError || error instanceof RangeError || error instanceof KeyEncryptionKeyMismatchError) throw error;
      const code = (error as { code?: unknown }).code;
      if ((typeof code === 'string' && code.startsWith('SQLITE_')) || !this.db.open) {
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
