import { BSON, Long, type Document, type Filter as MongoFilter, type IndexDescription, type MongoClientOptions, type Sort } from 'mongodb';
import { CheckpointConflictError, ReadStoreUnavailableError } from '../errors';
import type { CollectionSpec, DocWrite, Filter, FindQuery, IndexValue, Position, StoredDoc } from '../port';
import { indexValuesOf, jsonOf, prefixUpperBound, searchText } from '../values';

/**
 * A document of a collection; `doc: null` is a tombstone (see planWrites). The document is kept as
 * its JSON text, as in the SQLite store: it is only ever read whole (filters and sorts use `ix`
 * and `lc`), the text round-trips every JSON value exactly (nested arrays included, which FerretDB
 * cannot store as BSON), and a parallel rebuild's JSON is written without being parsed again.
 */
export interface DocRecord {
  _id: string;
  doc: string | null;
  position: Long;
  /** Index values by field, every field present (null when missing). */
  ix: Record<string, IndexValue>;
  /** Search text of the string index values (see searchText). */
  lc: Record<string, string>;
}

export interface CheckpointRecord {
  _id: string;
  position: Long;
  /** The highest lease fence the checkpoint was moved with (absent: never fenced). */
  fence?: number;
}

export interface LeaseRecord {
  _id: string;
  /** '' once released. */
  owner: string;
  expiresAt: number;
  /** Grows whenever the lease passes to another owner (see acquireLease). */
  fence?: number;
}

/** Meta values are stored as canonical JSON text: compare-and-set compares text, and any JSON key round-trips. */
export interface MetaRecord {
  _id: string;
  value: string;
}

export interface CollectionRecord {
  _id: string;
  indexes: string[];
}

/**
 * Positions are BSON Longs (signed 64-bit): compared numerically by the server, exact above 2^53,
 * and EventStoreDB commit positions (byte offsets in its log) stay far below 2^63. Decimal128
 * would also be exact, but costs more to store and compare for no practical gain.
 */
export const toLong = (position: Position): Long => Long.fromBigInt(position);

/** A stored position as bigint: the driver hands back a Long, a bigint or (small values) a number. */
export const toPosition = (value: unknown): Position => {
  if (Long.isLong(value)) return value.toBigInt();
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new Error(`stored position ${String(value)} is not an integer`);
};

/** The stored form of a write; the document goes through JSON so both stores keep the same value. */
export const toDocRecord = (spec: CollectionSpec, write: DocWrite): DocRecord => {
  const values = indexValuesOf(spec, write);
  const lc = spec.indexes.flatMap((field, i) => {
    const text = searchText(values[i]);
    return text === null ? [] : [[field, text] as const];
  });
  return {
    _id: write.id,
    doc: write.doc === null ? null : (write.json ?? jsonOf(write.id, write.doc)),
    position: toLong(write.position),
    ix: Object.fromEntries(spec.indexes.map((field, i) => [field, values[i]])),
    lc: Object.fromEntries(lc),
  };
};

/**
 * The replay guard, as guarded idempotent upserts: each replaces its document only when the stored
 * one is older (`position < p`); an existing document at the same or a newer position makes the
 * upsert collide on `_id` (a duplicate key: applied before, see mongo-commit). A delete is a
 * tombstone write, so an older write replayed later cannot bring the document back. Of several
 * writes to one document only the newest is sent (the end result of applying them in order), so
 * the writes of a batch touch distinct documents and may be applied unordered.
 */
export interface GuardedUpsert {
  readonly replaceOne: {
    readonly filter: { readonly _id: string; readonly position: { readonly $lt: Long } };
    readonly replacement: Omit<DocRecord, '_id'>;
    readonly upsert: true;
  };
}

export const planWrites = (records: readonly DocRecord[]): GuardedUpsert[] => {
  const newest = new Map<string, DocRecord>();
  for (const record of records) {
    const seen = newest.get(record._id);
    if (seen === undefined || toPosition(seen.position) < toPosition(record.position)) newest.set(record._id, record);
  }
  return [...newest.values()].map(({ _id, ...replacement }) => ({
    replaceOne: { filter: { _id, position: { $lt: replacement.position } }, replacement, upsert: true as const },
  }));
};

export const fromDocRecord = <T>(record: Pick<DocRecord, '_id' | 'doc' | 'position'>): StoredDoc<T> => ({
  id: record._id,
  // Only this store writes the field, always the JSON of a document of this collection (never a tombstone here: LIVE).
  doc: JSON.parse(record.doc as string) as T,
  position: toPosition(record.position),
});

/** Tombstones are never part of a result. */
export const LIVE: MongoFilter<DocRecord> = { doc: { $ne: null } };

/**
 * The (field, _id) index behind each filterable, sortable field, and the (fields…, _id) index of
 * each compound index (equality filters first, then the sort field), as in the SQLite store.
 * Search indexes have no counterpart here: `contains` is a regex over the `lc` copy either way.
 */
export const indexDescriptions = (spec: CollectionSpec): IndexDescription[] =>
  [...spec.indexes.map((field) => [field]), ...(spec.compoundIndexes ?? [])].map((fields) => ({
    key: { ...Object.fromEntries(fields.map((field) => [`ix.${field}`, 1])), _id: 1 },
    name: `ix_${fields.join('_')}`,
  }));

/**
 * A bulk write sent to the server holds at most this many operations and about this many bytes
 * of documents: far below MongoDB's 16 MB message and 100,000-operation batch limits, so no batch
 * is split or refused by the server, and a crash loses at most one batch's work in flight.
 */
export const BATCH_OPERATIONS = 1000;
export const BATCH_BYTES = 4 * 1024 * 1024;

/** Operations in order, cut into batches of at most BATCH_OPERATIONS and (unless one alone is larger) BATCH_BYTES. */
export const batchesOf = <T>(
  operations: readonly T[],
  sizeOf: (operation: T) => number = bsonSizeOf,
  limits: { readonly operations: number; readonly bytes: number } = { operations: BATCH_OPERATIONS, bytes: BATCH_BYTES },
): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const operation of operations) {
    const size = sizeOf(operation);
    if (current.length > 0 && (current.length >= limits.operations || bytes + size > limits.bytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(operation);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

const bsonSizeOf = (operation: unknown): number => BSON.calculateObjectSize(operation as Document);

/** Ids in pieces of this size: a `$in` over a rebuild's 100,000 documents would be one oversized command. */
export const ID_CHUNK = 1000;

export const chunksOf = <T>(items: readonly T[], size = ID_CHUNK): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

/** One filter; null is a value (`eq null` finds nulls, `ne x` includes them), as in the SQLite store. */
export const filterQuery = ({ field, op, value }: Filter): MongoFilter<DocRecord> => {
  if (op === 'contains') return { [`lc.${field}`]: { $regex: escapeRegex(searchText(value as string) ?? '') } };
  if (op === 'eq') return { [`ix.${field}`]: value };
  return { [`ix.${field}`]: { [`$${op}`]: value } };
};

/**
 * Text matched literally inside a regular expression. A NUL goes in as `\x00`: MongoDB refuses a
 * pattern that contains the character itself (BadValue, "Regular expression cannot contain an
 * embedded null byte"), which would turn a search for it into a server error.
 */
export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\u0000', '\\x00');

/**
 * Documents after the cursor in the order (field, _id). Nulls sort first (as in SQLite), so after
 * a null come the later nulls and every non-null; after a value no null follows. The `$gte`
 * bound lets the (field, _id) index start at the cursor.
 */
export const afterQuery = (field: string, after: { readonly value: IndexValue; readonly id: string }): MongoFilter<DocRecord> => {
  const path = `ix.${field}`;
  if (after.value === null) return { $or: [{ [path]: { $ne: null } }, { _id: { $gt: after.id } }] };
  return { [path]: { $gte: after.value }, $or: [{ [path]: { $gt: after.value } }, { _id: { $gt: after.id } }] };
};

export const countQuery = (filters: readonly Filter[] = []): MongoFilter<DocRecord> => ({
  $and: [LIVE, ...filters.map(filterQuery)],
});

export const findQuery = (query: FindQuery): MongoFilter<DocRecord> => ({
  $and: [LIVE, ...(query.filters ?? []).map(filterQuery), ...(query.after ? [afterQuery(query.sortBy, query.after)] : [])],
});

export const sortOf = (field: string): Sort => ({ [`ix.${field}`]: 1, _id: 1 });

/** Keys starting with `prefix` as a range, so no regular expression or wildcard is involved. */
export const prefixQuery = <T extends { _id: string } = MetaRecord>(prefix: string): MongoFilter<T> => {
  const upper = prefixUpperBound(prefix);
  return { _id: upper === null ? { $gte: prefix } : { $gte: prefix, $lt: upper } } as MongoFilter<T>;
};

/** The database named in the connection string's path, if any. */
export const dbNameOf = (url: string): string | undefined => {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
};

/** Without a server the driver waits 30 s by default before failing; a read store request should fail sooner. */
export const clientOptionsFor = (url: string): MongoClientOptions =>
  /[?&]serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: 5000 };

export const DUPLICATE_KEY = 11000;
export const NAMESPACE_EXISTS = 48;
export const NAMESPACE_NOT_FOUND = 26;

export const hasCode = (error: unknown, code: number): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;

export const isDuplicateKey = (error: unknown): boolean => hasCode(error, DUPLICATE_KEY);

/** A rejection handler that swallows one server error code and rethrows everything else. */
export const ignoring =
  (code: number) =>
  (error: unknown): undefined => {
    if (hasCode(error, code)) return undefined;
    throw error;
  };

/** Driver errors that mean "no server to talk to" (compared by name: look-alikes and other realms count too). */
const UNAVAILABLE_ERRORS: ReadonlySet<string> = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoClientClosedError',
  'MongoServerClosedError',
  'MongoPoolClosedError',
  'MongoOperationTimeoutError',
]);

/** Server codes of a node that is stepping down or shutting down (a failover in progress). */
const UNAVAILABLE_CODES: ReadonlySet<unknown> = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);

/** Port errors for driver errors: connection trouble → ReadStoreUnavailableError, anything else unchanged. */
export const translateMongoError = (error: unknown): unknown => {
  if (error instanceof ReadStoreUnavailableError || error instanceof CheckpointConflictError) return error;
  if (typeof error !== 'object' || error === null) return error;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  if ((typeof name === 'string' && UNAVAILABLE_ERRORS.has(name)) || UNAVAILABLE_CODES.has(code)) {
    return new ReadStoreUnavailableError(`MongoDB unavailable: ${String(message)}`, { cause: error });
  }
  return error;
};
