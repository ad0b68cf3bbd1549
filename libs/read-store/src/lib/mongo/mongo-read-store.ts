import { MongoClient, type Collection, type Db } from 'mongodb';
import { assertCollectionName, assertSpec, missingCollection } from '../collections';
import { ReadStoreUnavailableError } from '../errors';
import type {
  CheckpointMove,
  CollectionSpec,
  DocWrite,
  EnsureOptions,
  Filter,
  FindQuery,
  Lease,
  Position,
  ReadStore,
  StoredDoc,
} from '../port';
import { assertCheckpointMove, assertFilters, assertLease, assertName, assertQuery, assertWrites } from '../validation';
import { canonicalJson } from '../values';
import { commitWithoutTransaction, type CommitStep } from './mongo-commit';
import {
  LIVE,
  chunksOf,
  clientOptionsFor,
  countQuery,
  dbNameOf,
  findQuery,
  fromDocRecord,
  isDuplicateKey,
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

export interface MongoReadStoreOptions {
  /** Observes each commit's steps; a crash test stops the process there. */
  readonly onCommitStep?: (step: CommitStep) => void;
  /** Operations per bulk write (default BATCH_OPERATIONS); tests make commits of a few documents span several batches. */
  readonly batchOperations?: number;
}

/**
 * The read store on MongoDB. No correctness depends on a multi-document transaction (decision
 * 0018): commits are guarded idempotent upserts in bounded batches followed by a compare-and-set
 * of the checkpoint, so a standalone server, a replica set, a sharded cluster and FerretDB all
 * serve. Durability is the server's default write concern (majority on a replica set since
 * MongoDB 5.0; a connection string may set `w=majority` explicitly). A collection is stored as
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
  private closed = false;

  /**
   * A connection string (database: `dbName`, else the one in the string, else a default), or a
   * client configured elsewhere (database: `dbName`, else the client's), which close() leaves open.
   */
  constructor(
    connection: string | MongoClient,
    dbName?: string,
    private readonly options: MongoReadStoreOptions = {},
  ) {
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

  async listCollections(prefix: string): Promise<string[]> {
    return this.run(() => this.registry.names(prefix));
  }

  async commit(collection: string, writes: readonly DocWrite[], checkpoint: CheckpointMove): Promise<void> {
    assertCheckpointMove(checkpoint);
    await this.run(async () => {
      const spec = await this.registry.spec(collection);
      if (!spec) throw missingCollection(collection);
      assertWrites(spec, writes);
      // All validated and converted before the first write: invalid input changes nothing.
      const records = writes.map((write) => toDocRecord(spec, write));
      const target = {
        checkpoints: this.checkpoints,
        docs: this.registry.docs(collection),
        onStep: this.options.onCommitStep,
        batchOperations: this.options.batchOperations,
      };
      await commitWithoutTransaction(target, records, checkpoint);
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
    const records = [];
    for (const chunk of chunksOf([...new Set(ids)]))
      records.push(...(await this.run(() => docs.find({ _id: { $in: chunk }, ...LIVE }).toArray())));
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

  /**
   * Renew (the owner's, also after it expired: nobody took it meanwhile), else take over an
   * expired or released lease with the fence raised, else create it with fence 1. Each step is one
   * single-document write, atomic on every server; of racing owners one wins each step. A
   * released lease keeps its document (owner '', expiry 0) so the next owner's fence is higher.
   */
  async acquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<number | false> {
    assertLease(name, owner, ttlMs, now);
    const expiresAt = now + ttlMs;
    return this.run(async () => {
      const renewed = await this.leases.findOneAndUpdate({ _id: name, owner }, { $set: { expiresAt } }, { returnDocument: 'after' });
      if (renewed) return fenceOf(renewed);
      const taken = await this.leases.findOneAndUpdate(
        { _id: name, owner: { $ne: owner }, expiresAt: { $lte: now } },
        { $set: { owner, expiresAt }, $inc: { fence: 1 } },
        { returnDocument: 'after' },
      );
      if (taken) return fenceOf(taken);
      return this.leases.insertOne({ _id: name, owner, expiresAt, fence: 1 }).then(() => 1, falseOnDuplicateKey);
    });
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.run(() => this.leases.updateOne({ _id: name, owner }, { $set: { owner: '', expiresAt: 0 } }));
  }

  async getLease(name: string): Promise<Lease | null> {
    const record = await this.run(() => this.leases.findOne({ _id: name, owner: { $ne: '' } }));
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

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new ReadStoreUnavailableError('read store is closed');
    try {
      return await work();
    } catch (error) {
      throw translateMongoError(error);
    }
  }
}

/** Leases written before fences existed count as the first tenure. */
const fenceOf = (record: LeaseRecord): number => record.fence ?? 1;

const falseOnDuplicateKey = (error: unknown): false => {
  if (isDuplicateKey(error)) return false;
  throw error;
};
