import { Binary, type Document } from 'mongodb';
import { parseKeyId, type DataKey } from '../port';

/**
 * One key as stored in the `data_keys` collection (unique index on householdId). `householdId`
 * holds the key id (keyIdOf): a household's first key under the household's own id, as before key
 * generations, later ones `<householdId>#<generation>`. An empty field may also be absent
 * (FerretDB drops the nulls of an upsert's $setOnInsert); MongoDB's `null` filters match both, and
 * reading treats both alike.
 */
export interface KeyRecord {
  readonly householdId: string;
  readonly key?: Binary | null;
  readonly createdAt?: string | null;
  readonly destroyedAt?: string | null;
}

export const KEY_COLLECTION = 'data_keys';
export const KEY_INDEX = { key: { householdId: 1 }, options: { unique: true, name: 'householdId_unique' } } as const;

export const toKeyRecord = (keyId: string, key: Buffer, createdAt: string): KeyRecord => ({
  householdId: keyId,
  key: new Binary(key),
  createdAt,
  destroyedAt: null,
});

export const fromKeyRecord = (record: KeyRecord): DataKey => {
  const identity = { keyId: record.householdId, ...parseKeyId(record.householdId) };
  return record.key != null
    ? {
        ...identity,
        status: 'active',
        key: Buffer.from(record.key.buffer.subarray(0, record.key.position)),
        createdAt: record.createdAt ?? '',
      }
    : { ...identity, status: 'destroyed', createdAt: record.createdAt ?? null, destroyedAt: record.destroyedAt ?? '' };
};

/** Every generation of a household: its own id, and the ids after `<id>#` and before `<id>$` (`<id>#<n>`). */
export const generationsOf = (householdId: string): Document => ({
  $or: [{ householdId }, { householdId: { $gt: `${householdId}#`, $lt: `${householdId}$` } }],
});

/** Insert-if-missing: an existing record (active or tombstone) is left untouched. */
export const createUpdate = (record: KeyRecord): Document => ({ $setOnInsert: record });

/**
 * A destruction in two writes with update operators only (no pipeline update): first a tombstone
 * of the first generation is inserted if the household has no record, then every active
 * generation is wiped. Once the first write is done a record exists, and getOrCreate then creates
 * nothing, so no key can appear after the second (only a renewal adds a generation, on purpose).
 * The wipe matches active keys only, so a second erasure keeps each key's first time.
 */
export const tombstoneIfMissing = (householdId: string, now: string): Document => ({
  $setOnInsert: { householdId, key: null, createdAt: null, destroyedAt: now } satisfies KeyRecord,
});

export const activeKeysOf = (householdId: string): Document => ({ ...generationsOf(householdId), key: { $ne: null } });

export const wipeKey = (now: string): Document => ({ $set: { key: null, destroyedAt: now } });

/** The database named in a connection string (`mongodb://host/<db>?…`), if any. */
export const dbNameOf = (url: string): string | undefined => {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
};
