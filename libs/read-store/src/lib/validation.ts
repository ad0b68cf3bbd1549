import type { CheckpointMove, CollectionSpec, DocWrite, Filter, FindQuery, IndexValue, Position } from './port';
import { MAX_POSITION } from './values';

/** Checks shared by both stores, so that they refuse the same inputs with the same RangeError. */

export const assertPosition = (position: Position, what: string): void => {
  if (typeof position !== 'bigint' || position < 0n || position > MAX_POSITION) {
    throw new RangeError(`${what}: position must be a bigint in [0, 2^63 - 1], got ${String(position)}`);
  }
};

export const assertName = (name: string, what: string): void => {
  if (typeof name !== 'string' || name.length === 0) throw new RangeError(`${what} must be a non-empty string`);
};

export const assertCheckpointMove = (checkpoint: CheckpointMove): void => {
  assertName(checkpoint.name, 'checkpoint name');
  if (checkpoint.expected !== null) assertPosition(checkpoint.expected, `checkpoint ${checkpoint.name}`);
  assertPosition(checkpoint.next, `checkpoint ${checkpoint.name}`);
  if (checkpoint.fence !== undefined && !(Number.isSafeInteger(checkpoint.fence) && checkpoint.fence > 0)) {
    throw new RangeError(`checkpoint ${checkpoint.name}: fence must be a positive integer, got ${checkpoint.fence}`);
  }
  // Equal is fine (re-applying parked events commits documents without moving the checkpoint).
  if (checkpoint.expected !== null && checkpoint.next < checkpoint.expected) {
    throw new RangeError(`checkpoint ${checkpoint.name} may not move back from ${checkpoint.expected} to ${checkpoint.next}`);
  }
};

/** Strings, finite numbers, booleans and null: what both stores compare the same way. */
export const isIndexValue = (value: unknown): value is IndexValue =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

export const assertWrites = (spec: CollectionSpec, writes: readonly DocWrite[]): void => {
  const fields = new Set(spec.indexes);
  for (const write of writes) {
    assertName(write.id, `collection ${spec.name}: document id`);
    assertPosition(write.position, `document ${write.id}`);
    for (const [field, value] of Object.entries(write.index ?? {})) {
      if (!fields.has(field)) throw new RangeError(`document ${write.id}: ${field} is not an index of ${spec.name}`);
      if (!isIndexValue(value)) throw new RangeError(`document ${write.id}: index ${field} has an invalid value`);
    }
  }
};

const FILTER_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'contains']);

export const assertFilters = (spec: CollectionSpec, filters: readonly Filter[] = []): void => {
  for (const filter of filters) {
    assertField(spec, filter.field);
    const { op, value } = filter;
    if (!FILTER_OPS.has(op)) throw new RangeError(`unknown filter operator ${String(op)}`);
    const valid =
      op === 'in'
        ? Array.isArray(value) && value.every(isIndexValue)
        : op === 'contains'
          ? typeof value === 'string'
          : isIndexValue(value) && (value !== null || op === 'eq' || op === 'ne');
    if (!valid) throw new RangeError(`filter ${filter.field} ${op}: invalid value ${JSON.stringify(value)}`);
  }
};

export const assertQuery = (spec: CollectionSpec, query: FindQuery): void => {
  assertFilters(spec, query.filters);
  assertField(spec, query.sortBy);
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${query.limit}`);
  }
  if (query.after && (!isIndexValue(query.after.value) || typeof query.after.id !== 'string')) {
    throw new RangeError('after must be {value: an index value, id: a string}');
  }
};

export const assertLease = (name: string, owner: string, ttlMs: number, now: number): void => {
  assertName(name, 'lease name');
  assertName(owner, 'lease owner');
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`lease ttl must be positive, got ${ttlMs}`);
  if (!Number.isFinite(now)) throw new RangeError(`lease clock must be finite, got ${now}`);
};

const assertField = (spec: CollectionSpec, field: string): void => {
  if (!spec.indexes.includes(field)) throw new RangeError(`${field} is not an index of collection ${spec.name}`);
};
