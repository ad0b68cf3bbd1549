import { MongoClient, type Collection } from 'mongodb';
import { AccessLogUnavailableError, type AccessEntry, type AccessLog, type AccessLogCopy, type AccessLogQuery } from '../port';
import { assertEntry, assertQuery } from '../validation';
import { clientOptionsFor, dbNameOf, filterOf, fromRecord, INDEXES, SORT, toRecord, type AccessRecord } from './mongo-mapping';

/** A database of its own, so the log can have a database user of its own (docs/operations.md). */
const DEFAULT_DB = 'wih_access_log';
/** listIndexes on a collection that does not exist yet. */
const NAMESPACE_NOT_FOUND = 26;
export const ACCESS_LOG_COLLECTION = 'access_log';

/**
 * The access log as one MongoDB collection, written with insertMany only (majority write concern,
 * journaled: the entry survives a failover before the read is answered). Nothing here updates or
 * deletes; in production the application's database user gets only `insert` and `find` on this
 * collection (docs/operations.md), which makes that a server-side guarantee.
 */
export class MongoAccessLog implements AccessLog, AccessLogCopy {
  private readonly client: MongoClient;
  private readonly ownsClient: boolean;
  private readonly entries: Collection<AccessRecord>;
  private setup: Promise<void> | undefined;

  constructor(connection: string | MongoClient, dbName?: string) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? new MongoClient(connection, clientOptionsFor(connection)) : connection;
    const db = this.client.db(typeof connection === 'string' ? (dbName ?? dbNameOf(connection) ?? DEFAULT_DB) : dbName);
    this.entries = db.collection<AccessRecord>(ACCESS_LOG_COLLECTION);
  }

  async append(entries: readonly AccessEntry[]): Promise<void> {
    entries.forEach(assertEntry);
    if (entries.length === 0) return;
    await this.guard('written', async () => {
      await this.ready();
      await this.entries.insertMany(entries.map(toRecord), { ordered: true, writeConcern: { w: 'majority', journal: true } });
    });
  }

  async find(query: AccessLogQuery): Promise<AccessEntry[]> {
    assertQuery(query);
    return this.guard('read', async () => {
      await this.ready();
      const records = await this.entries.find(filterOf(query)).sort(SORT).limit(query.limit).toArray();
      return records.map(fromRecord);
    });
  }

  async lastEntry(): Promise<AccessEntry | null> {
    return this.guard('read', async () => {
      await this.ready();
      const [last] = await this.entries.find({}).sort({ at: -1, _id: -1 }).limit(1).toArray();
      return last ? fromRecord(last) : null;
    });
  }

  /** The ids already there are left out first; the rest go in one ordered insert, so an interruption leaves a prefix. */
  async importEntries(entries: readonly AccessEntry[]): Promise<number> {
    entries.forEach(assertEntry);
    if (entries.length === 0) return 0;
    return this.guard('written', async () => {
      await this.ready();
      const present = new Set(
        (await this.entries.find({ _id: { $in: entries.map((entry) => entry.id) } }, { projection: { _id: 1 } }).toArray()).map(
          (record) => record._id,
        ),
      );
      const missing = entries.filter((entry) => !present.has(entry.id));
      if (missing.length > 0)
        await this.entries.insertMany(missing.map(toRecord), { ordered: true, writeConcern: { w: 'majority', journal: true } });
      return missing.length;
    });
  }

  async countEntries(): Promise<number> {
    return this.guard('read', async () => {
      await this.ready();
      return this.entries.countDocuments();
    });
  }

  async ping(): Promise<boolean> {
    try {
      await this.client.db('admin').command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }

  /**
   * Creates the indexes this log lacks. Asking for existing ones again is harmless on MongoDB, but
   * FerretDB 1.x drops the connection on it, so every start after the first would fail there.
   */
  private ready(): Promise<void> {
    this.setup ??= this.createMissingIndexes().catch((error: unknown) => {
      this.setup = undefined;
      throw error;
    });
    return this.setup;
  }

  private async createMissingIndexes(): Promise<void> {
    const existing = await this.entries
      .listIndexes()
      .toArray()
      .catch((error: unknown) => {
        if ((error as { code?: unknown }).code === NAMESPACE_NOT_FOUND) return [];
        throw error;
      });
    const keys = new Set(existing.map((index) => JSON.stringify(index['key'])));
    const missing = INDEXES.filter((key) => !keys.has(JSON.stringify(key)));
    if (missing.length > 0) await this.entries.createIndexes(missing.map((key) => ({ key })));
  }

  /** Any failure of the server becomes AccessLogUnavailableError: the read that needed the entry fails. */
  private async guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new AccessLogUnavailableError(`the access log could not be ${what}: ${(error as Error).name}`, { cause: error });
    }
  }
}
