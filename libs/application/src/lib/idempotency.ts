import type { RecordedEvent } from '@wih/event-store';
import { createHash } from 'node:crypto';
import type { CaseEventMetadata } from './codec';
import { IdempotencyKeyReusedError } from './errors';

/**
 * Idempotency keys live in the metadata of the events their command wrote (docs/decisions):
 * the record is written in the same atomic append as the events, so it is exactly as durable as
 * they are, in both stores, and needs no store of its own. A key is scoped to its user and to the
 * case it acted on; only its hash and the request's fingerprint are kept.
 */
export interface IdempotencyRecord {
  readonly key: string;
  readonly fingerprint: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Hashes the key with its user (keys of different users never collide). */
export const idempotencyRecord = (userId: string, key: string, request: unknown): IdempotencyRecord => ({
  key: sha256(`${userId}\n${key}`),
  fingerprint: sha256(canonicalJson(request)),
});

/**
 * Ids derived from an idempotency record: a retried create targets the same case stream and the
 * same (new) household, so a racing duplicate leaves no stray reservation on another household.
 */
export const caseIdFromKey = (record: IdempotencyRecord): string => uuidFromHash(record.key);
export const householdIdFromKey = (record: IdempotencyRecord): string => uuidFromHash(sha256(`household\n${record.key}`));

/** A version-4-shaped UUID from a hex digest. */
const uuidFromHash = (h: string): string => `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;

/** The last event written under this key, or null; throws when the key came with another request. */
export const findReplay = (events: readonly RecordedEvent[], record: IdempotencyRecord | undefined): RecordedEvent | null => {
  if (!record) return null;
  const match = events.findLast((e) => (e.metadata as CaseEventMetadata).idempotency?.key === record.key);
  if (!match) return null;
  if ((match.metadata as CaseEventMetadata).idempotency?.fingerprint !== record.fingerprint) {
    throw new IdempotencyKeyReusedError();
  }
  return match;
};

/** JSON with sorted keys, so that `{a,b}` and `{b,a}` are the same request. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
