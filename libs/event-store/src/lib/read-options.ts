import type { NewEvent, Partition } from './port';

export const DEFAULT_BATCH_SIZE = 500;

/** Validated batch size: a positive integer, 500 when omitted. */
export const batchSizeOf = (batchSize: number | undefined): number => {
  const size = batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batchSize must be a positive integer, got ${size}`);
  return size;
};

/** Validated total limit: a non-negative integer, unbounded when omitted. */
export const limitOf = (limit: number | undefined): number => {
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  return limit;
};

/**
 * An append without events has no "revision of the last event written" to report, so both stores
 * reject it instead of inventing one.
 */
export const assertNotEmpty = (stream: string, events: readonly NewEvent[]): void => {
  if (events.length === 0) throw new RangeError(`append to ${stream}: at least one event is required`);
};

/** Validated partition: integers with 0 ≤ index < count. */
export const partitionOfOptions = (partition: Partition | undefined): Partition | undefined => {
  if (partition === undefined) return undefined;
  const { index, count } = partition;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`partition must have integers 0 <= index < count, got ${index} of ${count}`);
  }
  return partition;
};
