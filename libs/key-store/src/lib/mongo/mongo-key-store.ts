import { randomBytes } from 'node:crypto';
import { Binary, MongoClient, MongoServerError, type Collection } from 'mongodb';
import { assertHouseholdId, assertKeyId, KeyDestroyedError, KeyStoreRefusedError } from '../errors';
import {
  infoOf,
  KEY_BYTES,
  keyIdOf,
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
  isUnwrapped,
  KeyEncryptionKeyMismatchError,
  kekIdOfStoredForm,
  keyOfStoredForm,
  storedFormOf,
  type KeyWrapper,
} from '../wrapping';
import {
  activeKeysOf,
  createUpdate,
  dbNameOf,
  fromKeyRecord,
  generationsOf,
  KEY_COLLECTION,
  KEY_INDEX,
  tombstoneIfMissing,
  toKeyRecord,
  wipeKey,
  type KeyRecord,
} from './mongo-key-mapping';
import { isDuplicateKey, translateMongoError } from './mongo-key-errors';

/** A database of its own, so the keys can have a database user of their own (docs/operations.md). */
const DEFAULT_DB = 'wih_keys';

export interface MongoKeyStoreOptions {
  /** Wraps every stored key with the key-encryption key (wrapping.ts); the KEK never lives in MongoDB. */
  readonly wrapper: KeyWrapper;
  /**
   * Where earlier versions kept the keys (the read store's database). Set, the store refuses to
   * start with an empty collection while that database still holds keys: it would hand out new
   * keys for households that have one, and the data sealed under either would be lost.
   */
  readonly formerDbName?: string;
}

/**
 * The production key store: a MongoDB collection with a unique index on householdId. Writes use
 * majority write concern, so an acknowledged key survives the loss of the primary. Keep the
 * collection out of read-model dumps: its backups are the only copies of the keys (docs/operations.md).
 * Keys are stored wrapped under the KEK; bare keys of earlier versions are wrapped at first use.
 */
export class MongoKeyStore implements KeyStore, WrappedKeyCopy {
  private readonly client: MongoClient;
  private readonly owned: boolean;
  private opening: Promise<Collection<KeyRecord>> | null = null;
  private readonly dbName: string;
  private readonly formerDbName: string | undefined;
  private readonly wrapper: KeyWrapper;
  /** The new KEK while `rewrap` runs: a rerun finds keys under it. */
  private rotatingTo: KeyWrapper | undefined;

  constructor(clientOrUrl: MongoClient | string, dbName: string | undefined, options: MongoKeyStoreOptions) {
    this.wrapper = options.wrapper;
    this.owned = typeof clientOrUrl === 'string';
    this.dbName = dbName ?? (typeof clientOrUrl === 'string' ? dbNameOf(clientOrUrl) : undefined) ?? DEFAULT_DB;
    this.client = typeof clientOrUrl === 'string' ? new MongoClient(clientOrUrl, { serverSelectionTimeoutMS: 5000 }) : clientOrUrl;
    this.formerDbName = options.formerDbName !== this.dbName ? options.formerDbName : undefined;
  }

  async get(keyId: string): Promise<DataKey | null> {
    assertKeyId(keyId);
    const record = await this.call((keys) => keys.findOne({ householdId: keyId }, { projection: { _id: 0 } }));
    return record ? this.opened(record) : null;
  }

  async getMany(keyIds: readonly string[]): Promise<Map<string, DataKey>> {
    keyIds.forEach(assertKeyId);
    const records = await this.call((keys) =>
      keys.find({ householdId: { $in: [...new Set(keyIds)] } }, { projection: { _id: 0 } }).toArray(),
    );
    return new Map(await Promise.all(records.map(async (record) => [record.householdId, await this.opened(record)] as const)));
  }

  getOrCreate(householdId: string, now: string): Promise<HouseholdKey> {
    return this.current(householdId, now, false);
  }

  renew(householdId: string, now: string): Promise<HouseholdKey> {
    return this.current(householdId, now, true);
  }

  /**
   * The latest generation, or a new one: the first when there is none; the next when the latest is
   * destroyed and `renew`. Inserts only if missing (unique index): concurrent creators insert one
   * record and all read it back. A destruction may wipe a new generation at once; a renewal then
   * tries the next, a few times.
   */
  private async current(householdId: string, now: string, renew: boolean): Promise<HouseholdKey> {
    assertHouseholdId(householdId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const records = await this.call((keys) => keys.find(generationsOf(householdId), { projection: { _id: 0 } }).toArray());
      const latest = records
        .map(fromKeyRecord)
        .reduce<DataKey | undefined>((a, b) => (!a || b.generation > a.generation ? b : a), undefined);
      if (latest?.status === 'active') return { keyId: latest.keyId, key: await keyOfStoredForm(this.wrapper, latest.keyId, latest.key) };
      if (latest && !renew) throw new KeyDestroyedError(householdId);
      const keyId = keyIdOf(householdId, (latest?.generation ?? 0) + 1);
      const record = toKeyRecord(keyId, await storedFormOf(this.wrapper, keyId, randomBytes(KEY_BYTES)), now);
      try {
        await this.call((keys) => keys.updateOne({ householdId: keyId }, createUpdate(record), { upsert: true }));
      } catch (error) {
        // Two concurrent upserts: one inserts, the other hits the unique index; both read the winner.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new KeyDestroyedError(householdId);
  }

  async destroy(householdId: string, now: string): Promise<void> {
    assertHouseholdId(householdId);
    try {
      await this.call((keys) => keys.updateOne({ householdId }, tombstoneIfMissing(householdId, now), { upsert: true }));
    } catch (error) {
      // A concurrent getOrCreate or destroy inserted the record first: the wipe below handles it.
      if (!isDuplicateKey(error)) throw error;
    }
    await this.call((keys) => keys.updateMany(activeKeysOf(householdId), wipeKey(now)));
  }

  async list(options: { readonly status?: KeyInfo['status'] } = {}): Promise<KeyInfo[]> {
    const filter = options.status === undefined ? {} : { key: options.status === 'active' ? { $ne: null } : null };
    const records = await this.call((keys) =>
      keys
        .find(filter, { projection: { _id: 0 } })
        .sort({ householdId: 1 })
        .toArray(),
    );
    return records.map((record) => infoOf(fromKeyRecord(record)));
  }

  async ready(): Promise<void> {
    await this.collection();
  }

  async rewrap(to: KeyWrapper): Promise<RewrapReport> {
    this.rotatingTo = to;
    let rewrapped = 0;
    let already = 0;
    for (const [householdId, stored] of await this.activeKeys()) {
      if (kekIdOfStoredForm(stored) === to.id) {
        already += 1;
        continue;
      }
      const next = await storedFormOf(to, householdId, await keyOfStoredForm(this.wrapper, householdId, stored));
      // Guarded on the old form: a key destroyed meanwhile stays destroyed.
      const { modifiedCount } = await this.call((keys) =>
        keys.updateOne({ householdId, key: new Binary(stored) }, { $set: { key: new Binary(next) } }),
      );
      rewrapped += modifiedCount;
    }
    return { rewrapped, already };
  }

  async exportWrapped(): Promise<StoredKeyRecord[]> {
    const records = await this.call((keys) =>
      keys
        .find({}, { projection: { _id: 0 } })
        .sort({ householdId: 1 })
        .toArray(),
    );
    return records.map((record) => {
      const key = fromKeyRecord(record);
      return key.status === 'active'
        ? { keyId: key.keyId, wrapped: key.key, createdAt: key.createdAt, destroyedAt: null }
        : { keyId: key.keyId, wrapped: null, createdAt: key.createdAt, destroyedAt: key.destroyedAt };
    });
  }

  /** Insert-if-missing per record (unique index), then a guarded wipe of keys the records hold as destroyed. */
  async importWrapped(records: readonly StoredKeyRecord[]): Promise<KeyImport> {
    records.forEach((record) => assertKeyId(record.keyId));
    assertWrappedUnder(this.wrapper, records);
    let added = 0;
    let destroyed = 0;
    for (const record of records) {
      const stored: KeyRecord = {
        householdId: record.keyId,
        key: record.wrapped === null ? null : new Binary(record.wrapped),
        createdAt: record.createdAt,
        destroyedAt: record.wrapped === null ? record.destroyedAt : null,
      };
      const { upsertedCount } = await this.call((keys) =>
        keys.updateOne({ householdId: record.keyId }, createUpdate(stored), { upsert: true }),
      );
      if (upsertedCount > 0) added += 1;
      else if (record.wrapped === null) {
        const { modifiedCount } = await this.call((keys) =>
          keys.updateOne({ householdId: record.keyId, key: { $ne: null } }, wipeKey(record.destroyedAt ?? '')),
        );
        destroyed += modifiedCount;
      }
    }
    return { added, destroyed, unchanged: records.length - added - destroyed };
  }

  /** An active record's key opened with the KEK. */
  private async opened(record: KeyRecord): Promise<DataKey> {
    const key = fromKeyRecord(record);
    // A key is wrapped under its key id (a later generation's differs from the household id).
    return key.status === 'active' ? { ...key, key: await keyOfStoredForm(this.wrapper, key.keyId, key.key) } : key;
  }

  private async activeKeys(): Promise<[string, Buffer][]> {
    const records = await this.call((keys) =>
      keys.find({ key: { $ne: null } }, { projection: { _id: 0, householdId: 1, key: 1 } }).toArray(),
    );
    return records.flatMap((record) => {
      const key = fromKeyRecord(record);
      return key.status === 'active' ? [[key.keyId, key.key] as [string, Buffer]] : [];
    });
  }

  /** As SqliteKeyStore.prepare: refuse a wrong KEK, wrap the bare keys of earlier versions. */
  private async prepare(keys: Collection<KeyRecord>, alsoAccepted?: KeyWrapper): Promise<void> {
    const records = await keys.find({ key: { $ne: null } }, { projection: { _id: 0, householdId: 1, key: 1 } }).toArray();
    const active = records.flatMap((record) => {
      const key = fromKeyRecord(record);
      return key.status === 'active' ? [key] : [];
    });
    const kekIds = active.map((key) => kekIdOfStoredForm(key.key)).filter((id): id is string => id !== null);
    if (kekIds.length > 0 && !kekIds.includes(this.wrapper.id) && !(alsoAccepted && kekIds.includes(alsoAccepted.id)))
      throw new KeyEncryptionKeyMismatchError(kekIds[0], this.wrapper.id);
    for (const key of active.filter((candidate) => isUnwrapped(candidate.key))) {
      const next = await storedFormOf(this.wrapper, key.keyId, key.key);
      await keys.updateOne({ householdId: key.keyId, key: new Binary(key.key) }, { $set: { key: new Binary(next) } });
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.client.db(this.dbName).command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.owned) await this.client.close();
  }

  private collection(): Promise<Collection<KeyRecord>> {
    this.opening ??= (async () => {
      const keys = this.client.db(this.dbName).collection<KeyRecord>(KEY_COLLECTION, { writeConcern: { w: 'majority' } });
      await keys.createIndex(KEY_INDEX.key, KEY_INDEX.options);
      await this.refuseKeysLeftBehind(keys);
      await this.prepare(keys, this.rotatingTo);
      return keys;
    })().catch((error: unknown) => {
      this.opening = null;
      throw error;
    });
    return this.opening;
  }

  private async refuseKeysLeftBehind(keys: Collection<KeyRecord>): Promise<void> {
    if (this.formerDbName === undefined || (await keys.findOne({}, { projection: { _id: 1 } })) !== null) return;
    let leftBehind: unknown;
    try {
      leftBehind = await this.client
        .db(this.formerDbName)
        .collection(KEY_COLLECTION)
        .findOne({}, { projection: { _id: 1 } });
    } catch (error) {
      // A user of the key database only (least privilege) cannot look there, and has never written there either.
      if (error instanceof MongoServerError && error.code === 13) return;
      throw error;
    }
    if (leftBehind !== null) {
      throw new KeyStoreRefusedError(
        'refused',
        `the keys are still in ${this.formerDbName}.${KEY_COLLECTION} and ${this.dbName}.${KEY_COLLECTION} is empty: ` +
          `move them first (docs/operations.md "Upgrading: databases of their own") or set MONGO_KEYS_URL to the database ${this.formerDbName}`,
      );
    }
  }

  private async call<T>(work: (keys: Collection<KeyRecord>) => Promise<T>): Promise<T> {
    try {
      return await work(await this.collection());
    } catch (error) {
      throw translateMongoError(error, `${this.dbName}.${KEY_COLLECTION}`);
    }
  }
}
