import { BSON, Long, MongoNetworkError, MongoServerError } from 'mongodb';
import { CheckpointConflictError, ReadStoreUnavailableError } from '../errors';
import type { DocWrite } from '../port';
import {
  afterQuery,
  clientOptionsFor,
  countQuery,
  dbNameOf,
  escapeRegex,
  filterQuery,
  findQuery,
  fromDocRecord,
  ignoring,
  BATCH_BYTES,
  BATCH_OPERATIONS,
  ID_CHUNK,
  batchesOf,
  chunksOf,
  indexDescriptions,
  isDuplicateKey,
  planWrites,
  prefixQuery,
  sortOf,
  toDocRecord,
  toLong,
  toPosition,
  translateMongoError,
  type DocRecord,
} from './mongo-mapping';

const spec = { name: 'cases@1', indexes: ['status', 'name', 'rank'] };
const record = (id: string, position: bigint, doc: unknown = { id }): DocRecord =>
  toDocRecord(spec, { id, doc, position, index: { status: 'open' } });

describe('mongo positions', () => {
  it.each([[0n], [1n], [2n ** 53n + 1n], [2n ** 63n - 1n]])('round-trips %p through a Long', (position) => {
    const long = toLong(position);
    expect(long).toBeInstanceOf(Long);
    expect(long.unsigned).toBe(false);
    expect(toPosition(long)).toBe(position);
  });

  it('reads the forms the driver hands back: Long, bigint, small numbers', () => {
    expect(toPosition(Long.fromString('9007199254740993'))).toBe(9007199254740993n);
    expect(toPosition(12n)).toBe(12n);
    expect(toPosition(12)).toBe(12n);
  });

  it('refuses anything that is not an integer', () => {
    for (const value of [1.5, '5', null, undefined, 2 ** 60]) expect(() => toPosition(value)).toThrow(/not an integer/);
  });
});

describe('mongo documents', () => {
  it('stores every index field, the search text of strings, and the document as JSON', () => {
    const index = { name: 'Familie MU\u0308LLER', rank: 3 };
    const write: DocWrite = { id: 'c1', doc: { a: 1, gone: undefined }, position: 7n, index };
    expect(toDocRecord(spec, write)).toStrictEqual({
      _id: 'c1',
      doc: '{"a":1}',
      position: Long.fromBigInt(7n),
      ix: { status: null, name: 'Familie MU\u0308LLER', rank: 3 },
      lc: { name: 'familie müller' },
    });
  });

  it('stores a delete as a tombstone without index values', () => {
    const tombstone = toDocRecord(spec, { id: 'c1', doc: null, position: 9n, index: { status: 'open' } });
    expect(tombstone).toStrictEqual({
      _id: 'c1',
      doc: null,
      position: Long.fromBigInt(9n),
      ix: { status: null, name: null, rank: null },
      lc: {},
    });
  });

  it('refuses an undefined document', () => {
    expect(() => toDocRecord(spec, { id: 'c1', doc: undefined, position: 1n, index: {} })).toThrow(RangeError);
  });

  it("keeps a parallel rebuild's JSON text as it is", () => {
    const write: DocWrite = { id: 'c1', doc: { a: [[1], [2]] }, json: '{"a":[[1],[2]]}', position: 7n, index: {} };
    expect(toDocRecord(spec, write).doc).toBe('{"a":[[1],[2]]}');
  });

  it('reads a stored document back', () => {
    expect(fromDocRecord({ _id: 'c1', doc: '{"a":"ä"}', position: Long.fromBigInt(2n ** 62n) })).toStrictEqual({
      id: 'c1',
      doc: { a: 'ä' },
      position: 2n ** 62n,
    });
  });
});

describe('mongo replay guard (planWrites)', () => {
  /** `id@position` of each planned replacement. */
  const targets = (operations: ReturnType<typeof planWrites>): string[] =>
    operations.map((operation) => {
      if (!('replaceOne' in operation)) return '?';
      const { filter, replacement } = operation.replaceOne;
      return `${String(filter._id)}@${toPosition(replacement.position)}`;
    });

  it('upserts new documents, guarded by position', () => {
    const [operation] = planWrites([record('a', 5n)]);
    expect(operation).toStrictEqual({
      replaceOne: {
        filter: { _id: 'a', position: { $lt: Long.fromBigInt(5n) } },
        replacement: {
          doc: '{"id":"a"}',
          position: Long.fromBigInt(5n),
          ix: { status: 'open', name: null, rank: null },
          lc: { status: 'open' },
        },
        upsert: true,
      },
    });
  });

  it('treats a tombstone like a document: it is written with its position', () => {
    const [deletion] = planWrites([record('a', 6n, null)]);
    expect(deletion).toMatchObject({ replaceOne: { filter: { position: { $lt: Long.fromBigInt(6n) } }, replacement: { doc: null } } });
  });

  it('sends only the newest of several writes to one document, so a batch touches distinct documents', () => {
    const operations = planWrites([record('a', 5n), record('b', 1n), record('a', 6n), record('a', 4n), record('a', 6n, null)]);
    expect(targets(operations)).toEqual(['a@6', 'b@1']);
    // The first write at the newest position wins: a later one at the same position is a replay.
    expect(operations[0]).toMatchObject({ replaceOne: { replacement: { doc: '{"id":"a"}' } } });
  });
});

describe('mongo write batches (batchesOf)', () => {
  it('cuts at the operation limit and keeps the order', () => {
    const items = Array.from({ length: 2 * BATCH_OPERATIONS + 1 }, (_, i) => ({ i }));
    const batches = batchesOf(items);
    expect(batches.map((batch) => batch.length)).toEqual([BATCH_OPERATIONS, BATCH_OPERATIONS, 1]);
    expect(batches.flat()).toEqual(items);
    expect(batchesOf([])).toEqual([]);
  });

  it('cuts before the byte limit; a single larger operation goes alone', () => {
    const sizes = [40, 40, 30, 100, 10, 10];
    const batches = batchesOf(sizes, (size) => size, { operations: 10, bytes: 100 });
    expect(batches).toEqual([[40, 40], [30], [100], [10, 10]]);
  });

  it('measures operations by their BSON size: a rebuild of large documents stays far below 16 MB per batch', () => {
    const big = 'x'.repeat(100_000);
    const operations = planWrites(Array.from({ length: 300 }, (_, i) => record(`d${i}`, BigInt(i + 1), { big })));
    const batches = batchesOf(operations);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches)
      expect(batch.reduce((sum, op) => sum + BSON.calculateObjectSize(op as never), 0)).toBeLessThanOrEqual(BATCH_BYTES);
  });

  it('splits ids for $in queries into pieces of at most ID_CHUNK', () => {
    const items = Array.from({ length: 2 * ID_CHUNK + 1 }, (_, i) => i);
    expect(chunksOf(items).map((chunk) => chunk.length)).toEqual([ID_CHUNK, ID_CHUNK, 1]);
  });
});

describe('mongo queries', () => {
  it('maps each filter operator onto ix.<field>', () => {
    expect(filterQuery({ field: 'status', op: 'eq', value: 'open' })).toEqual({ 'ix.status': 'open' });
    expect(filterQuery({ field: 'status', op: 'eq', value: null })).toEqual({ 'ix.status': null });
    expect(filterQuery({ field: 'status', op: 'ne', value: 'open' })).toEqual({ 'ix.status': { $ne: 'open' } });
    expect(filterQuery({ field: 'rank', op: 'lt', value: 2 })).toEqual({ 'ix.rank': { $lt: 2 } });
    expect(filterQuery({ field: 'rank', op: 'lte', value: 2 })).toEqual({ 'ix.rank': { $lte: 2 } });
    expect(filterQuery({ field: 'rank', op: 'gt', value: 2 })).toEqual({ 'ix.rank': { $gt: 2 } });
    expect(filterQuery({ field: 'rank', op: 'gte', value: 2 })).toEqual({ 'ix.rank': { $gte: 2 } });
    expect(filterQuery({ field: 'status', op: 'in', value: ['a', null] })).toEqual({ 'ix.status': { $in: ['a', null] } });
  });

  it('searches the lowercased copy with the needle escaped', () => {
    expect(filterQuery({ field: 'name', op: 'contains', value: 'MÜ.l' })).toEqual({ 'lc.name': { $regex: 'mü\\.l' } });
    const pattern = new RegExp(escapeRegex('100% (a.b*) [x]{2} ^$ | \\ ?+'));
    expect(pattern.test('say 100% (a.b*) [x]{2} ^$ | \\ ?+ twice')).toBe(true);
    expect(new RegExp(escapeRegex('a.c')).test('abc')).toBe(false);
  });

  it('sends a NUL as an escape, never as the character MongoDB refuses in a pattern', () => {
    const pattern = escapeRegex('a\u0000b');
    expect(pattern).toBe('a\\x00b');
    expect(pattern.includes('\u0000')).toBe(false);
    expect(new RegExp(pattern).test('xa\u0000by')).toBe(true);
    expect(new RegExp(pattern).test('ab')).toBe(false);
  });

  it('continues after the cursor: nulls first, then ties by _id', () => {
    expect(afterQuery('due', { value: '2025-03-01', id: 'c7' })).toEqual({
      'ix.due': { $gte: '2025-03-01' },
      $or: [{ 'ix.due': { $gt: '2025-03-01' } }, { _id: { $gt: 'c7' } }],
    });
    expect(afterQuery('due', { value: null, id: 'c7' })).toEqual({ $or: [{ 'ix.due': { $ne: null } }, { _id: { $gt: 'c7' } }] });
  });

  it('combines filters, cursor and the tombstone exclusion', () => {
    const status = { field: 'status', op: 'eq', value: 'open' } as const;
    expect(findQuery({ filters: [status], sortBy: 'due', after: { value: 1, id: 'x' }, limit: 5 })).toEqual({
      $and: [{ doc: { $ne: null } }, { 'ix.status': 'open' }, afterQuery('due', { value: 1, id: 'x' })],
    });
    expect(countQuery()).toEqual({ $and: [{ doc: { $ne: null } }] });
    expect(sortOf('due')).toEqual({ 'ix.due': 1, _id: 1 });
  });

  it('indexes every field together with _id', () => {
    expect(indexDescriptions(spec)).toEqual([
      { key: { 'ix.status': 1, _id: 1 }, name: 'ix_status' },
      { key: { 'ix.name': 1, _id: 1 }, name: 'ix_name' },
      { key: { 'ix.rank': 1, _id: 1 }, name: 'ix_rank' },
    ]);
  });

  it('indexes each compound index as its fields in order, then _id', () => {
    const compound = {
      ...spec,
      compoundIndexes: [
        ['status', 'rank'],
        ['name', 'status', 'rank'],
      ],
    };
    const descriptions = indexDescriptions(compound);
    expect(descriptions.slice(3)).toEqual([
      { key: { 'ix.status': 1, 'ix.rank': 1, _id: 1 }, name: 'ix_status_rank' },
      { key: { 'ix.name': 1, 'ix.status': 1, 'ix.rank': 1, _id: 1 }, name: 'ix_name_status_rank' },
    ]);
    // Key order is the index's order.
    expect(Object.keys(descriptions[4].key)).toEqual(['ix.name', 'ix.status', 'ix.rank', '_id']);
  });

  it('lists meta keys by range, not by pattern', () => {
    expect(prefixQuery('parked/cases@1/')).toEqual({ _id: { $gte: 'parked/cases@1/', $lt: 'parked/cases@10' } });
    expect(prefixQuery('a%_')).toEqual({ _id: { $gte: 'a%_', $lt: 'a%`' } });
    expect(prefixQuery('')).toEqual({ _id: { $gte: '' } });
  });
});

describe('mongo connection settings', () => {
  it('reads the database from the connection string', () => {
    expect(dbNameOf('mongodb://localhost:27017/?replicaSet=rs0')).toBeUndefined();
    expect(dbNameOf('mongodb://localhost:27017')).toBeUndefined();
    expect(dbNameOf('mongodb://localhost:27017/read?replicaSet=rs0')).toBe('read');
    expect(dbNameOf('mongodb+srv://user:p%40ss@cluster.example.net/wih%20read')).toBe('wih read');
    expect(dbNameOf('mongodb://h1:27017,h2:27017/reads')).toBe('reads');
  });

  it('fails fast without a server unless the connection string says otherwise', () => {
    expect(clientOptionsFor('mongodb://localhost:27017/?replicaSet=rs0')).toEqual({ serverSelectionTimeoutMS: 5000 });
    expect(clientOptionsFor('mongodb://localhost:27017/?serverSelectionTimeoutMS=100')).toEqual({});
  });
});

describe('mongo error translation', () => {
  it.each([
    ['a network error', new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017')],
    ['a failed server selection', Object.assign(new Error('Server selection timed out'), { name: 'MongoServerSelectionError' })],
    ['a closed client', { name: 'MongoTopologyClosedError', message: 'Topology is closed' }],
    ['a primary stepping down', new MongoServerError({ code: 10107, errmsg: 'not primary' })],
  ])('turns %s into ReadStoreUnavailableError', (_, error) => {
    const translated = translateMongoError(error);
    expect(translated).toBeInstanceOf(ReadStoreUnavailableError);
    expect((translated as ReadStoreUnavailableError).cause).toBe(error);
  });

  it('passes other errors through unchanged', () => {
    const duplicate = new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' });
    const conflict = new CheckpointConflictError('cases@1', '1', '2');
    for (const error of [duplicate, conflict, new TypeError('bug'), 'text', null]) expect(translateMongoError(error)).toBe(error);
    const unavailable = new ReadStoreUnavailableError('down');
    expect(translateMongoError(unavailable)).toBe(unavailable);
  });

  it('recognises duplicate keys and swallows only the named code', () => {
    expect(isDuplicateKey(new MongoServerError({ code: 11000, errmsg: 'dup' }))).toBe(true);
    expect(isDuplicateKey({ code: 11000 })).toBe(true);
    expect(isDuplicateKey(new Error('E11000'))).toBe(false);
    expect(ignoring(48)({ code: 48 })).toBeUndefined();
    const other = { code: 26 };
    expect(() => ignoring(48)(other)).toThrow();
  });
});
