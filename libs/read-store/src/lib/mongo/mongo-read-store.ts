import { MongoClient, type Collection, type Db } from 'mongodb';
import { assertCollectionName, assertSpec, missingCollection } from '../collections';
import { ReadStoreUnavailableError } from '../errors';
import type { CheckpointMove, CollectionSpec, DocWrite, EnsureOptions, Filter, FindQuery, Lease, Position, ReadStore, StoredDoc } from '../port';
import { assertCheckpointMove, assertFilters, assertLease, assertName, assertQuery, assertWrites } from '../validation';
import { canonicalJson } from '../values';
import { commitInTransaction } from './mongo-commit';
import {
  LIVE,
  NAMESPACE_EXISTS,
  clientOptionsFor,
  countQuery,
  dbNameOf,
  findQuery,
  fromDocRecord,
  ignoring,
  isDuplicateKey,
  leaseFilter,
  prefixQuery,
  sortOf,
  toDocRecord,
  toPosition,
  translateMongoError,
  type CheckpointRecord,
  type LeaseRecord,
  type MetaRecord,
} from './mongo-mapping';
import { MongoRegistry } from './mongo-registry';

const DEFAULT_DB = 'wohnintegrationshilfe';

/**
 * The read store on MongoDB. Commits are multi-document transactions, so the server must be a
 * replica set (a single node started with `--replSet` will do). A collection is stored as
 * `doc_<name>` (see storageNameOf); checkpoints, leases, meta records and the registry of
 * collections have collections of their own.
 *
 * Reads of a collection that does not exist (yet) are empty, as in the SQLite store.
 */
export class MongoReadStore implements ReadStore {
  private readonly client: MongoClient;
  private readonly db: Db;
  private readonly ownsClient: boolean;
  private readonly registry: MongoRegistry;
  private readonly checkpoints: Collection<CheckpointRecord>;
  private readonly leases: Collection<LeaseRecord>;
  private readonly meta: Collection<MetaRecord>;
  private setup: Promise<void> | undefined;
  private closed = false;

  /**
   * A connection string (database: `dbName`, else the one in the string, else a default), or a
   * client configured elsewhere (database: `dbName`, else the client's), which close() leaves open.
   */
  constructor(connection: string | MongoClient, dbName?: string) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? new MongoClient(connection, clientOptionsFor(connection)) : connection;
    this.db = this.client.db(typeof connection === 'string' ? (dbName ?? dbNameOf(connection) ?? DEFAULT_DB) : dbName);
    this.registry = new MongoRegistry(this.db);
    this.checkpoints = this.db.collection('checkpoints');
    this.leases = this.db.collection('leases');
    this.meta = this.db.collection('meta');
  }

  async ensureCollection(spec: CollectionSpec, options?: EnsureOptions): Promise<void> {
    assertSpec(spec);
    await this.run(() => this.registry.ensure(spec, options));
  }

  /** MongoDB keeps no planner statistics to refresh: this creates the deferred indexes. */
  async ensureIndexes(spec: CollectionSpec): Promise<void> {
    assertSpec(spec);
    await this.run(async () => {
      if (!(await this.registry.spec(spec.name))) throw missingCollection(spec.name);
      await this.registry.ensure(spec);
    });
  }

  async dropCollection(name: string): Promise<void> {
    assertCollectionName(name);
    await this.run(() => this.registry.drop(name));
  }

  async commit(collection: string, writes: readonly DocWrite[], checkpoint: CheckpointMove): Promise<void> {
    assertCheckpointMove(checkpoint);
    await this.run(async () => {
      const spec = await this.registry.spec(collection);
      if (!spec) throw missingCollection(collection);
      assertWrites(spec, writes);
      // Validated and converted before the transaction, which must not be aborted by our own errors.
      const records = writes.map((write) => toDocRecord(spec, write));
      await this.ready();
      const target = { client: this.client, checkpoints: this.checkpoints, docs: this.registry.docs(collection) };
      await commitInTransaction(target, records, checkpoint);
    });
  }

  async getCheckpoint(name: string): Promise<Position | null> {
    const record = await this.run(() => this.checkpoints.findOne({ _id: name }));
    return record ? toPosition(record.position) : null;
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.run(() => this.checkpoints.deleteOne({ _id: name }));
  }

  async get<T>(collection: string, id: string): Promise<StoredDoc<T> | null> {
    const record = await this.run(() => this.registry.docs(collection).findOne({ _id: id, ...LIVE }));
    return record ? fromDocRecord<T>(record) : null;
  }

  async getMany<T>(collection: string, ids: readonly string[]): Promise<Map<string, StoredDoc<T>>> {
    const docs = this.registry.docs(collection);
    const records = ids.length === 0 ? [] : await this.run(() => docs.find({ _id: { $in: [...ids] }, ...LIVE }).toArray());
    return new Map(records.map((record) => [record._id, fromDocRecord<T>(record)]));
  }

  async find<T>(collection: string, query: FindQuery): Promise<StoredDoc<T>[]> {
    const records = await this.run(async () => {
      const spec = await this.registry.spec(collection);
      if (!spec) return [];
      assertQuery(spec, query);
      const options = { sort: sortOf(query.sortBy), limit: query.limit, projection: { doc: 1, position: 1 } };
      return this.registry.docs(collection).find(findQuery(query), options).toArray();
    });
    return records.map((record) => fromDocRecord<T>(record));
  }

  async count(collection: string, filters?: readonly Filter[]): Promise<number> {
    return this.run(async () => {
      const spec = await this.registry.spec(collection);
      if (!spec) return 0;
      assertFilters(spec, filters);
      return this.registry.docs(collection).countDocuments(countQuery(filters));
    });
  }

  async acquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<number | false> {
    assertLease(name, owner, ttlMs, now);
    const update = { $set: { owner, expiresAt: now + ttlMs } };
    // No match (another owner's lease, still valid) makes the upsert insert, which collides: refused.
    return this.run(() =>
      this.leases.updateOne(leaseFilter(name, owner, now), update, { upsert: true }).then(() => 1, falseOnDuplicateKey),
    );
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.run(() => this.leases.deleteOne({ _id: name, owner }));
  }

  async getLease(name: string): Promise<Lease | null> {
    const record = await this.run(() => this.leases.findOne({ _id: name }));
    return record ? { name: record._id, owner: record.owner, expiresAt: record.expiresAt } : null;
  }

  async getMeta<T>(key: string): Promise<T | null> {
    const record = await this.run(() => this.meta.findOne({ _id: key }));
    return record ? (JSON.parse(record.value) as T) : null;
  }

  async setMeta<T>(key: string, value: T): Promise<void> {
    assertName(key, 'meta key');
    const json = canonicalJson(value);
    await this.run(() => this.meta.updateOne({ _id: key }, { $set: { value: json } }, { upsert: true }));
  }

  async compareAndSetMeta<T>(key: string, expected: T | null, value: T): Promise<boolean> {
    assertName(key, 'meta key');
    const next = canonicalJson(value);
    if (expected === null) {
      return this.run(() => this.meta.insertOne({ _id: key, value: next }).then(() => true, falseOnDuplicateKey));
    }
    const filter = { _id: key, value: canonicalJson(expected) };
    const { matchedCount } = await this.run(() => this.meta.updateOne(filter, { $set: { value: next } }));
    return matchedCount === 1;
  }

  async deleteMeta(key: string): Promise<void> {
    await this.run(() => this.meta.deleteOne({ _id: key }));
  }

  async listMeta<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    const records = await this.run(() => this.meta.find(prefixQuery(prefix)).sort({ _id: 1 }).toArray());
    return records.map((record) => ({ key: record._id, value: JSON.parse(record.value) as T }));
  }

  async ping(): Promise<boolean> {
    try {
      await this.run(() => this.db.command({ ping: 1 }));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await this.client.close();
  }

  /** Collections written in transactions must exist beforehand. */
  private ready(): Promise<void> {
    this.setup ??= this.db
      .createCollection('checkpoints')
      .then(() => undefined, ignoring(NAMESPACE_EXISTS))
      .catch((error: unknown) => {
        this.setup = undefined;
        throw error;
      });
    return this.setup;
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new ReadStoreUnavailableError('read store is closed');
    try {
      return await work();
    } catch (error) {
      throw translateMongoError(error);
    }
  }
}

const falseOnDuplicateKey = (error: unknown): false => {
  if (isDuplicateKey(error)) return false;
  throw error;
};
