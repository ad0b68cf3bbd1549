import { randomUUID } from 'node:crypto';
import type { CheckpointMove, DocWrite, Filter, FindQuery, IndexValue, ReadStore, StoredDoc } from '../lib/port';

/** The index fields of the collections the contract creates. */
export const TEST_INDEXES = ['status', 'caseworker', 'due', 'name', 'rank', 'overdue'] as const;

/** A name no other test (or earlier run against a shared server) has used. */
export const uniqueName = (): string => `t${randomUUID().replace(/-/g, '').slice(0, 12)}`;

/** Creates a fresh collection (generation 1 of a unique model) with TEST_INDEXES. */
export const newCollection = async (store: ReadStore): Promise<string> => {
  const name = `${uniqueName()}@1`;
  await store.ensureCollection({ name, indexes: TEST_INDEXES });
  return name;
};

export const docWrite = <T>(
  id: string,
  doc: T | null,
  position: bigint,
  index: Readonly<Record<string, IndexValue>> = {},
): DocWrite<T> => ({ id, doc, position, index });

export const move = (name: string, expected: bigint | null, next: bigint): CheckpointMove => ({ name, expected, next });

/**
 * Commits `writes` as a runner would: from the stored checkpoint (named like the collection) to
 * the highest position among them.
 */
export const commitWrites = async (store: ReadStore, collection: string, writes: readonly DocWrite[]): Promise<void> => {
  const expected = await store.getCheckpoint(collection);
  const next = writes.reduce((max, write) => (write.position > max ? write.position : max), expected ?? 0n);
  await store.commit(collection, writes, move(collection, expected, next));
};

export const idsOf = (docs: readonly StoredDoc[]): string[] => docs.map((doc) => doc.id);

/** Ids of every document matching the filters, sorted. */
export const idsWhere = async (store: ReadStore, collection: string, filters: readonly Filter[]): Promise<string[]> =>
  idsOf(await store.find(collection, { filters, sortBy: 'status', limit: 1000 })).sort();

/** Reads a whole result page by page with the keyset cursor; `between` runs after each page. */
export const readPages = async (
  store: ReadStore,
  collection: string,
  query: Omit<FindQuery, 'after'>,
  between?: (page: number) => Promise<void>,
): Promise<StoredDoc<Record<string, IndexValue>>[]> => {
  const all: StoredDoc<Record<string, IndexValue>>[] = [];
  let after: FindQuery['after'];
  for (let page = 0; page < 1000; page++) {
    const docs = await store.find<Record<string, IndexValue>>(collection, { ...query, after });
    all.push(...docs);
    if (docs.length < query.limit) return all;
    const last = docs[docs.length - 1];
    after = { value: last.doc[query.sortBy] ?? null, id: last.id };
    await between?.(page);
  }
  throw new Error('paging did not end');
};

/** A document whose fields are its index values, so a page's last document gives the cursor. */
export const indexedWrite = (id: string, position: bigint, values: Readonly<Record<string, IndexValue>>): DocWrite =>
  docWrite(id, { ...values }, position, values);

/** Code point order of (value, id), nulls first: the order both stores sort in. */
export const compareKeys = (a: readonly [IndexValue, string], b: readonly [IndexValue, string]): number => {
  const [x, y] = [a[0], b[0]];
  if (x !== y) {
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
};
