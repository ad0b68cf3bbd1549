import type { CollectionSpec, DocWrite, IndexValue, Position } from './port';

/** Both stores keep positions as signed 64-bit integers (SQLite INTEGER, BSON Long). */
export const MAX_POSITION: Position = 2n ** 63n - 1n;

export const describePosition = (position: Position | null): string => (position === null ? 'none' : position.toString());

/** A document as stored: JSON text. `undefined` (which JSON cannot hold) is refused, not read as a delete. */
export const jsonOf = (id: string, doc: unknown): string => {
  const json = doc === undefined ? undefined : (JSON.stringify(doc) as string | undefined);
  if (json === undefined) throw new RangeError(`document ${id}: not a JSON value (use null to delete)`);
  return json;
};

/**
 * JSON with object keys sorted at every level: two deep-equal values give the same text, so a
 * compare-and-set can compare text.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || value === undefined) throw new RangeError('a meta value must not be null (use deleteMeta)');
  const json = JSON.stringify(value, (_key, item: unknown) => (isPlainObject(item) ? sortedKeys(item) : item)) as string | undefined;
  if (json === undefined) throw new RangeError('a meta value must be JSON');
  return json;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const sortedKeys = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, value[key]]),
  );

/**
 * What `contains` searches: the value lowercased in JavaScript (SQLite's lower() only folds
 * ASCII, so 'MÜLLER' would not become 'müller') and in NFC, so a decomposed 'ü' (u + U+0308)
 * matches a composed one. Both stores store this copy and match the needle against it.
 */
export const searchText = (value: IndexValue): string | null => (typeof value === 'string' ? value.normalize('NFC').toLowerCase() : null);

/**
 * The least string above every string that starts with `prefix`, in code point order (how both
 * stores compare text: SQLite BINARY and MongoDB's simple collation compare UTF-8 bytes), or
 * null when no such bound exists. Turns a prefix search into a range, so no wildcard characters
 * (`%`, `_`, regex syntax) are involved.
 */
export const prefixUpperBound = (prefix: string): string | null => {
  const points = Array.from(prefix, (char) => char.codePointAt(0) as number);
  while (points.length > 0) {
    const last = points.pop() as number;
    if (last < 0x10ffff) return String.fromCodePoint(...points, last === 0xd7ff ? 0xe000 : last + 1);
  }
  return null;
};

/** The write's index values in the order of `spec.indexes`: missing ones and a deleted doc's are null. */
export const indexValuesOf = (spec: CollectionSpec, write: DocWrite): IndexValue[] => {
  // A write given as JSON text is never a deletion (and its `doc` may be parsed on each access).
  const deleted = write.json === undefined && write.doc === null;
  return spec.indexes.map((field) => (deleted ? null : (write.index[field] ?? null)));
};
