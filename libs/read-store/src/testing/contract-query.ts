import { randomUUID } from 'node:crypto';
import type { CollectionSpec, Filter, IndexValue, ReadStore } from '../lib/port';
import {
  TEST_INDEXES,
  commitWrites,
  compareKeys,
  docWrite,
  idsOf,
  idsWhere,
  indexedWrite,
  newCollection,
  readPages,
  uniqueName,
} from './fixtures';

const CASES: readonly [string, Record<string, IndexValue>][] = [
  ['c01', { status: 'active', caseworker: 'cw-1', due: '2025-03-01', name: 'Familie MÜLLER', rank: 2, overdue: true }],
  ['c02', { status: 'active', caseworker: 'cw-2', due: '2025-02-01', name: 'Herr Schäfer', rank: 10, overdue: false }],
  ['c03', { status: 'referred', caseworker: null, due: '2025-04-15', name: 'Frau Öztürk', rank: 1, overdue: false }],
  ['c04', { status: 'closed', caseworker: 'cw-1', due: '2025-01-10', name: '100% Miete_Zuschuss (a.b*)', rank: 3.5, overdue: false }],
  ['c05', { status: 'active', caseworker: 'cw-1', due: null, name: null, rank: -1, overdue: true }],
  // Decomposed: u + COMBINING DIAERESIS.
  ['c06', { status: 'rejected', caseworker: 'cw-3', due: '2025-03-01', name: 'Mu\u0308ller-Lüdenscheidt', rank: 10, overdue: false }],
];

/** Sorted ids of CASES by (field, id), as the stores must sort them. */
const sortedBy = (field: string): string[] =>
  CASES.map(([id, values]) => [values[field], id] as const)
    .sort(compareKeys)
    .map(([, id]) => id);

/** Compound and search indexes change how a store finds the answer, never the answer. */
const tuned = (name: string): CollectionSpec => ({
  name,
  indexes: TEST_INDEXES,
  compoundIndexes: [
    ['status', 'due'],
    ['caseworker', 'status', 'rank'],
  ],
  searchIndexes: ['name'],
});

interface Setup {
  /** Creates the collection, writes the documents, and readies it for queries. */
  readonly fill: (store: ReadStore, writes: Parameters<ReadStore['commit']>[1]) => Promise<string>;
}

const SETUPS: readonly [string, Setup][] = [
  [
    'indexes per field',
    {
      fill: async (store, writes) => {
        const collection = await newCollection(store);
        await commitWrites(store, collection, writes);
        return collection;
      },
    },
  ],
  [
    'compound and search indexes',
    {
      fill: async (store, writes) => {
        const spec = tuned(`${uniqueName()}@1`);
        await store.ensureCollection(spec);
        await commitWrites(store, spec.name, writes);
        return spec.name;
      },
    },
  ],
  [
    'indexes deferred, built after the writes',
    {
      fill: async (store, writes) => {
        const spec = tuned(`${uniqueName()}@1`);
        await store.ensureCollection(spec, { deferIndexes: true });
        await commitWrites(store, spec.name, writes);
        await store.ensureIndexes(spec);
        await store.ensureIndexes(spec); // idempotent
        return spec.name;
      },
    },
  ],
];

export const queryContract = (store: () => ReadStore): void => {
  describe.each(SETUPS)('find and count (%s)', (_setup, setup) => {
    let collection: string;
    beforeAll(async () => {
      collection = await setup.fill(
        store(),
        CASES.map(([id, values], i) => indexedWrite(id, BigInt(i + 1), values)),
      );
    });

    it('keeps the substring search current through updates, deletes and later inserts', async () => {
      const own = await setup.fill(store(), [
        indexedWrite('s1', 1n, { name: 'Familie Krause' }),
        indexedWrite('s2', 2n, { name: 'Herr Krause' }),
      ]);
      const krause = () => idsWhere(store(), own, [{ field: 'name', op: 'contains', value: 'krause' }]);
      expect(await krause()).toEqual(['s1', 's2']);
      await commitWrites(store(), own, [
        indexedWrite('s1', 3n, { name: 'Familie Kraus' }),
        docWrite('s2', null, 4n),
        indexedWrite('s3', 5n, { name: 'Frau "Krause"' }),
      ]);
      expect(await krause()).toEqual(['s3']);
      expect(await idsWhere(store(), own, [{ field: 'name', op: 'contains', value: '"krause"' }])).toEqual(['s3']);
      expect(await idsWhere(store(), own, [{ field: 'name', op: 'contains', value: 'kraus' }])).toEqual(['s1', 's3']);
      // An older write replayed changes neither the document nor the search.
      await commitWrites(store(), own, [indexedWrite('s1', 1n, { name: 'Familie Krause' })]);
      expect(await krause()).toEqual(['s3']);
    });
    const ids = (...filters: Filter[]) => idsWhere(store(), collection, filters);

    it('filters by equality, also on null and booleans', async () => {
      expect(await ids({ field: 'status', op: 'eq', value: 'active' })).toEqual(['c01', 'c02', 'c05']);
      expect(await ids({ field: 'caseworker', op: 'eq', value: null })).toEqual(['c03']);
      expect(await ids({ field: 'overdue', op: 'eq', value: true })).toEqual(['c01', 'c05']);
      expect(await ids({ field: 'rank', op: 'eq', value: 10 })).toEqual(['c02', 'c06']);
      expect(await ids({ field: 'status', op: 'eq', value: 'Active' })).toEqual([]);
    });

    it('filters by inequality, counting null as different from a value', async () => {
      expect(await ids({ field: 'status', op: 'ne', value: 'active' })).toEqual(['c03', 'c04', 'c06']);
      expect(await ids({ field: 'caseworker', op: 'ne', value: 'cw-1' })).toEqual(['c02', 'c03', 'c06']);
      expect(await ids({ field: 'caseworker', op: 'ne', value: null })).toEqual(['c01', 'c02', 'c04', 'c05', 'c06']);
      expect(await ids({ field: 'overdue', op: 'ne', value: true })).toEqual(['c02', 'c03', 'c04', 'c06']);
    });

    it('compares numbers numerically and strings by code point, never matching null', async () => {
      expect(await ids({ field: 'rank', op: 'lt', value: 2 })).toEqual(['c03', 'c05']);
      expect(await ids({ field: 'rank', op: 'lte', value: 2 })).toEqual(['c01', 'c03', 'c05']);
      expect(await ids({ field: 'rank', op: 'gt', value: 3.5 })).toEqual(['c02', 'c06']);
      expect(await ids({ field: 'rank', op: 'gte', value: 3.5 })).toEqual(['c02', 'c04', 'c06']);
      expect(await ids({ field: 'due', op: 'lt', value: '2025-03-01' })).toEqual(['c02', 'c04']);
      expect(await ids({ field: 'due', op: 'gte', value: '2025-03-01' })).toEqual(['c01', 'c03', 'c06']);
    });

    it('filters by a list of values, which may include null', async () => {
      expect(await ids({ field: 'status', op: 'in', value: ['referred', 'closed'] })).toEqual(['c03', 'c04']);
      expect(await ids({ field: 'caseworker', op: 'in', value: ['cw-3', null] })).toEqual(['c03', 'c06']);
      expect(await ids({ field: 'rank', op: 'in', value: [10, 1] })).toEqual(['c02', 'c03', 'c06']);
      expect(await ids({ field: 'status', op: 'in', value: [] })).toEqual([]);
    });

    it('finds substrings case-insensitively, umlauts and decomposed letters included', async () => {
      expect(await ids({ field: 'name', op: 'contains', value: 'müller' })).toEqual(['c01', 'c06']);
      expect(await ids({ field: 'name', op: 'contains', value: 'MÜLL' })).toEqual(['c01', 'c06']);
      expect(await ids({ field: 'name', op: 'contains', value: 'ÖZTÜRK' })).toEqual(['c03']);
      expect(await ids({ field: 'name', op: 'contains', value: 'schäf' })).toEqual(['c02']);
      expect(await ids({ field: 'name', op: 'contains', value: 'muller' })).toEqual([]);
    });

    it('matches wildcard and regex characters literally', async () => {
      for (const text of ['%', '_', '100% miete_', '(a.b*)']) {
        expect(await ids({ field: 'name', op: 'contains', value: text })).toEqual(['c04']);
      }
      expect(await ids({ field: 'name', op: 'contains', value: 'a.c' })).toEqual([]);
      expect(await ids({ field: 'name', op: 'contains', value: '.*' })).toEqual([]);
      expect(await ids({ field: 'name', op: 'contains', value: '' })).toEqual(['c01', 'c02', 'c03', 'c04', 'c06']);
    });

    it('searches for control characters, NUL included, as text (no match here, no error)', async () => {
      for (const text of ['\u0000', 'müller\u0000', '\u0001\n\t'])
        expect(await ids({ field: 'name', op: 'contains', value: text })).toEqual([]);
    });

    it('combines filters with and', async () => {
      const active = { field: 'status', op: 'eq', value: 'active' } as const;
      expect(await ids(active, { field: 'caseworker', op: 'eq', value: 'cw-1' })).toEqual(['c01', 'c05']);
      const overdue = { field: 'overdue', op: 'eq', value: true } as const;
      expect(await ids(active, overdue, { field: 'rank', op: 'gt', value: 0 })).toEqual(['c01']);
      expect(await ids({ field: 'rank', op: 'gte', value: 2 }, { field: 'rank', op: 'lt', value: 10 })).toEqual(['c01', 'c04']);
    });

    it('counts, with and without filters', async () => {
      expect(await store().count(collection)).toBe(6);
      expect(await store().count(collection, [])).toBe(6);
      expect(await store().count(collection, [{ field: 'status', op: 'eq', value: 'active' }])).toBe(3);
      expect(await store().count(collection, [{ field: 'name', op: 'contains', value: 'müller' }])).toBe(2);
    });

    it.each([['status'], ['caseworker'], ['due'], ['rank'], ['overdue']])(
      'sorts by %s (nulls first, ties by id) and pages through it with the cursor',
      async (field) => {
        expect(idsOf(await store().find(collection, { sortBy: field, limit: 100 }))).toEqual(sortedBy(field));
        expect(idsOf(await readPages(store(), collection, { sortBy: field, limit: 1 }))).toEqual(sortedBy(field));
        expect(idsOf(await readPages(store(), collection, { sortBy: field, limit: 4 }))).toEqual(sortedBy(field));
      },
    );

    it('applies filters and the cursor together', async () => {
      const filters: Filter[] = [{ field: 'overdue', op: 'eq', value: false }];
      const pages = await readPages(store(), collection, { filters, sortBy: 'due', limit: 2 });
      expect(idsOf(pages)).toEqual(['c04', 'c02', 'c06', 'c03']);
      const after = { value: '2025-02-01', id: 'c02' };
      expect(idsOf(await store().find(collection, { filters, sortBy: 'due', after, limit: 10 }))).toEqual(['c06', 'c03']);
      const afterNull = await store().find(collection, { sortBy: 'due', after: { value: null, id: 'c05' }, limit: 2 });
      expect(idsOf(afterNull)).toEqual(['c04', 'c02']);
    });

    it.each([
      ['an unknown sort field', { sortBy: 'colour', limit: 10 }],
      ['an unknown filter field', { filters: [{ field: 'colour', op: 'eq', value: 'red' }], sortBy: 'status', limit: 10 }],
      ['an unknown operator', { filters: [{ field: 'status', op: 'like', value: 'a' }], sortBy: 'status', limit: 10 }],
      ['in without a list', { filters: [{ field: 'status', op: 'in', value: 'active' }], sortBy: 'status', limit: 10 }],
      ['contains with a number', { filters: [{ field: 'rank', op: 'contains', value: 1 }], sortBy: 'status', limit: 10 }],
      ['lt null', { filters: [{ field: 'rank', op: 'lt', value: null }], sortBy: 'status', limit: 10 }],
      ['a limit of 0', { sortBy: 'status', limit: 0 }],
      ['a fractional limit', { sortBy: 'status', limit: 1.5 }],
    ])('refuses a query with %s', async (_, query) => {
      const invalid = query as Parameters<ReadStore['find']>[1];
      await expect(store().find(collection, invalid)).rejects.toBeInstanceOf(RangeError);
      if (invalid.filters) await expect(store().count(collection, invalid.filters)).rejects.toBeInstanceOf(RangeError);
    });
  });

  describe('keyset pagination', () => {
    it('pages through many equal sort values without duplicates or gaps', async () => {
      const collection = await newCollection(store());
      const dates = ['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04', '2025-01-05'];
      const writes = Array.from({ length: 50 }, (_, i) => indexedWrite(randomUUID(), BigInt(i + 1), { due: dates[i % 5], rank: i }));
      await commitWrites(store(), collection, writes);
      const expected = writes
        .map((w) => [w.index['due'], w.id] as const)
        .sort(compareKeys)
        .map(([, id]) => id);
      const pages = await readPages(store(), collection, { sortBy: 'due', limit: 7 });
      expect(idsOf(pages)).toEqual(expected);
      const filtered = await readPages(store(), collection, {
        filters: [{ field: 'due', op: 'in', value: ['2025-01-02', '2025-01-04'] }],
        sortBy: 'due',
        limit: 3,
      });
      expect(idsOf(filtered)).toEqual(expected.slice(10, 20).concat(expected.slice(30, 40)));
    });

    it('stays stable when documents are inserted before the cursor while paging', async () => {
      const collection = await newCollection(store());
      const writes = Array.from({ length: 30 }, (_, i) =>
        indexedWrite(`d${String(i).padStart(2, '0')}`, BigInt(i + 1), { due: `2025-02-${String(10 + (i % 10))}` }),
      );
      await commitWrites(store(), collection, writes);
      const expected = writes
        .map((w) => [w.index['due'], w.id] as const)
        .sort(compareKeys)
        .map(([, id]) => id);
      let position = 100n;
      const insertBeforeCursor = async (page: number): Promise<void> => {
        const early = [0, 1, 2].map((i) => indexedWrite(`e${page}-${i}`, (position += 1n), { due: `2025-01-0${i + 1}` }));
        // Same sort value as the first page's documents, but a smaller id.
        const tied = indexedWrite(`a${page}`, (position += 1n), { due: '2025-02-10' });
        await commitWrites(store(), collection, [...early, tied]);
      };
      const pages = await readPages(store(), collection, { sortBy: 'due', limit: 7 }, insertBeforeCursor);
      expect(idsOf(pages)).toEqual(expected);
      expect(await store().count(collection)).toBe(30 + 4 * Math.floor(30 / 7));
    });

    it('shows documents inserted after the cursor when paging reaches them', async () => {
      const collection = await newCollection(store());
      await commitWrites(
        store(),
        collection,
        ['b', 'c', 'd', 'e'].map((id, i) => indexedWrite(id, BigInt(i + 1), { rank: i })),
      );
      const pages = await readPages(store(), collection, { sortBy: 'rank', limit: 2 }, async (page) => {
        if (page === 0) await commitWrites(store(), collection, [indexedWrite('a', 10n, { rank: 99 })]);
      });
      expect(idsOf(pages)).toEqual(['b', 'c', 'd', 'e', 'a']);
    });
  });
};
