import { Binary, type Document } from 'mongodb';
import type { DataKey } from '../port';

/**
 * One household's key as stored in the `data_keys` collection (unique index on householdId). An
 * empty field may also be absent (FerretDB drops the nulls of an upsert's $setOnInsert); MongoDB's
 * `null` filters match both, and reading treats both alike.
 */
export interface KeyRecord {
  readonly householdId: string;
  readonly key?: Binary | null;
  readonly createdAt?: string | null;
  readonly destroyedAt?: string | null;
}

export const KEY_COLLECTION = 'data_keys';
export const KEY_INDEX = { key: { householdId: 1 }, options: { unique: true, name: 'householdId_unique' } } as const;

export const toKeyRecord = (householdId: string, key: Buffer, createdAt: string): KeyRecord =>
  ({ householdId, key: new Binary(key), createdAt, destroyedAt: null });

export const fromKeyRecord = (record: KeyRecord): DataKey =>
  record.key != null
    ? { householdId: record.householdId, status: 'active', key: Buffer.from(record.key.buffer.subarray(0, record.key.position)), createdAt: record.createdAt ?? '' }
    : { householdId: record.householdId, status: 'destroyed', createdAt: record.createdAt ?? null, destroyedAt: record.destroyedAt ?? '' };

/** Insert-if-missing: an existing record (active or tombstone) is left untouched. */
export const createUpdate = (record: KeyRecord): Document => ({ $setOnInsert: record });

/**
 * A destruction in two single-document writes with update operators only (no pipeline update):
 * first a tombstone is inserted if the household has no record, then an active key is wiped. Once
 * the first write is done a record exists, and getOrCreate only ever inserts, so no key can appear
 * after the second. The wipe matches active keys only, so a second erasure keeps the first time.
 */
export const tombstoneIfMissing = (householdId: string, now: string): Document =>
  ({ $setOnInsert: { householdId, key: null, createdAt: null, destroyedAt: now } satisfies KeyRecord });

export const activeKeyOf = (householdId: string): Document => ({ householdId, key: { $ne: null } });

export const wipeKey = (now: string): Document => ({ $set: { key: null, destroyedAt: now } });

/** The database named in a connection string (`mongodb://host/<db>?…`), if any. */
export const dbNameOf = (url: string): string | undefined => {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
};
