import type { Collection, Db } from 'mongodb';
import { assertCollectionName, assertSameIndexes, storageNameOf } from '../collections';
import type { CollectionSpec, EnsureOptions } from '../port';
import {
  NAMESPACE_EXISTS,
  NAMESPACE_NOT_FOUND,
  ignoring,
  indexDescriptions,
  isDuplicateKey,
  prefixQuery,
  type CollectionRecord,
  type DocRecord,
} from './mongo-mapping';

/**
 * Which collections exist and their index fields (in the `collections` collection), cached per
 * store: find, count and commit check field names against them, as the SQLite store does.
 */
export class MongoRegistry {
  private readonly specs = new Map<string, CollectionSpec>();
  private readonly registry: Collection<CollectionRecord>;

  constructor(private readonly db: Db) {
    this.registry = db.collection('collections');
  }

  /** Registers, then creates: also for a registered collection, restoring what a crash left out. */
  async ensure(spec: CollectionSpec, options: EnsureOptions = {}): Promise<void> {
    await this.register(spec);
    const name = storageNameOf(spec.name);
    await this.db.createCollection(name).catch(ignoring(NAMESPACE_EXISTS));
    if (!options.deferIndexes) await this.createIndexes(spec);
    this.specs.set(spec.name, spec);
  }

  /**
   * Only the missing indexes are created. createIndexes is idempotent on MongoDB, but asking for
   * existing ones costs a round of index checks, and FerretDB 1.x drops the connection on it.
   */
  async createIndexes(spec: CollectionSpec): Promise<void> {
    const docs = this.docs(spec.name);
    const existing = new Set((await docs.listIndexes().toArray()).map((index) => String(index['name'])));
    const missing = indexDescriptions(spec).filter((index) => !existing.has(index.name as string));
    if (missing.length > 0) await docs.createIndexes(missing);
  }

  async drop(name: string): Promise<void> {
    this.specs.delete(name);
    await this.docs(name).drop().catch(ignoring(NAMESPACE_NOT_FOUND));
    await this.registry.deleteOne({ _id: name });
  }

  /** The registered names starting with `prefix`, in name order. */
  async names(prefix: string): Promise<string[]> {
    const records = await this.registry
      .find(prefixQuery<CollectionRecord>(prefix), { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .toArray();
    return records.map((record) => record._id);
  }

  /** The collection's spec, or undefined when it does not exist. */
  async spec(name: string): Promise<CollectionSpec | undefined> {
    assertCollectionName(name);
    const cached = this.specs.get(name);
    if (cached) return cached;
    const stored = await this.registry.findOne({ _id: name });
    if (!stored) return undefined;
    const spec = { name, indexes: stored.indexes };
    this.specs.set(name, spec);
    return spec;
  }

  docs(name: string): Collection<DocRecord> {
    return this.db.collection<DocRecord>(storageNameOf(name));
  }

  private async register(spec: CollectionSpec): Promise<void> {
    const stored = await this.registry.findOne({ _id: spec.name });
    if (stored) return assertSameIndexes(spec, stored.indexes);
    try {
      await this.registry.insertOne({ _id: spec.name, indexes: [...spec.indexes] });
    } catch (error) {
      // Registered by another process meanwhile: compare with that.
      if (!isDuplicateKey(error)) throw error;
      await this.register(spec);
    }
  }
}
