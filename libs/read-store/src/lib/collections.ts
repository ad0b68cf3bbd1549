import type { CollectionSpec } from './port';

/**
 * `<model>@<generation>` (e.g. `cases@1`, `case-list@12`), or a bare model name. Lowercase only:
 * SQLite table names ignore case and MongoDB refuses names that differ only in case.
 */
const COLLECTION_NAME = /^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*(?:@[0-9]{1,9})?$/;
const MAX_NAME_LENGTH = 64;
const INDEX_FIELD = /^[a-zA-Z][a-zA-Z0-9]*$/;
/** MongoDB allows 64 indexes per collection, one of them `_id`. */
const MAX_INDEXES = 32;

export const assertCollectionName = (name: string): void => {
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !COLLECTION_NAME.test(name)) {
    throw new RangeError(`invalid collection name ${JSON.stringify(name)}: expected e.g. "cases@1" (lowercase)`);
  }
};

/**
 * The table (SQLite) or collection (MongoDB) that holds a collection: `cases@1` → `doc_cases_1`.
 * One-to-one although `-` and `@` both become `_`: a model segment starts with a letter, a
 * generation is digits only. The prefix keeps documents apart from the store's own tables.
 */
export const storageNameOf = (name: string): string => {
  assertCollectionName(name);
  return `doc_${name.replace(/[-@]/g, '_')}`;
};

export const assertSpec = (spec: CollectionSpec): void => {
  assertCollectionName(spec.name);
  if (!Array.isArray(spec.indexes) || spec.indexes.length > MAX_INDEXES) {
    throw new RangeError(`collection ${spec.name}: indexes must be an array of at most ${MAX_INDEXES} fields`);
  }
  const seen = new Set<string>();
  for (const field of spec.indexes) {
    if (typeof field !== 'string' || !INDEX_FIELD.test(field)) {
      throw new RangeError(`collection ${spec.name}: invalid index field ${JSON.stringify(field)}`);
    }
    // SQLite column names ignore case, so `status` and `Status` would be one column.
    if (seen.has(field.toLowerCase())) throw new RangeError(`collection ${spec.name}: index field ${field} is listed twice`);
    seen.add(field.toLowerCase());
  }
  assertIndexFields(spec, 'compound index', (spec.compoundIndexes ?? []).flat());
  assertIndexFields(spec, 'search index', spec.searchIndexes ?? []);
  if ((spec.compoundIndexes ?? []).some((fields) => !Array.isArray(fields) || fields.length === 0)) {
    throw new RangeError(`collection ${spec.name}: a compound index needs at least one field`);
  }
  if (spec.indexes.length + (spec.compoundIndexes?.length ?? 0) > MAX_INDEXES) {
    throw new RangeError(`collection ${spec.name}: at most ${MAX_INDEXES} indexes`);
  }
};

/** Compound and search indexes are built from index fields (their columns / `ix` values). */
const assertIndexFields = (spec: CollectionSpec, what: string, fields: readonly string[]): void => {
  const known = new Set(spec.indexes);
  if (!Array.isArray(fields)) throw new RangeError(`collection ${spec.name}: ${what}es must be an array`);
  for (const field of fields) {
    if (!known.has(field)) throw new RangeError(`collection ${spec.name}: ${what} on ${JSON.stringify(field)}, which is no index field`);
  }
};

/**
 * A collection keeps the index fields it was created with: documents written before a change
 * would lack the new values, so a changed set needs a new generation (a rebuild).
 */
export const assertSameIndexes = (spec: CollectionSpec, stored: readonly string[]): void => {
  const wanted = [...spec.indexes].sort();
  const existing = [...stored].sort();
  if (wanted.length !== existing.length || wanted.some((field, i) => field !== existing[i])) {
    throw new Error(
      `collection ${spec.name} exists with indexes [${existing.join(', ')}], not [${wanted.join(', ')}]: ` +
        'changed indexes need a new generation',
    );
  }
};

export const missingCollection = (name: string): Error => new Error(`collection ${name} does not exist: call ensureCollection first`);
