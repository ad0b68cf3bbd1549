import type { RecordedEvent } from '@wih/event-store';
import { createHash, createHmac } from 'node:crypto';
import type { CaseEventMetadata, StoredIdempotency } from './codec';
import { IdempotencyKeyReusedError } from './errors';

/**
 * Idempotency keys live in the metadata of the events their command wrote (docs/decisions):
 * the record is written in the same atomic append as the events, so it is exactly as durable as
 * they are, in both stores, and needs no store of its own. A key is scoped to its user and to the
 * case it acted on; only its hash and the request's fingerprint are kept.
 */
export interface IdempotencyRecord {
  readonly key: string;
  /** `v2:` and the SHA-256 of the request without its personal fields (decision 0004). */
  readonly fingerprint: string;
  /**
   * The request's personal fields (canonical JSON), in memory only: the stored record binds them
   * with an HMAC under the household's data key (personalMac), so erasing the key also makes a
   * guessed name unconfirmable. Never written as it is.
   */
  readonly personal?: string;
  /** The whole request's SHA-256, as records before v2 hold it: compared with those only, never written. */
  readonly legacyFingerprint: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Where requests carry personal data: the household (name, address, phone) and free-text notes. */
const PERSONAL_FIELDS = ['household', 'notes'] as const;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A help plan's goals carry their wording (personal data, decision 0023) inside the facts: the
 * wordings go to the personal fields, in goal order, and the goals stay in the facts without them.
 */
const splitGoals = (goals: unknown): { goals: unknown; wording?: unknown[] } => {
  if (!Array.isArray(goals) || !goals.some((goal) => isObject(goal) && 'wording' in goal)) return { goals };
  return {
    goals: goals.map((goal) => (isObject(goal) ? Object.fromEntries(Object.entries(goal).filter(([field]) => field !== 'wording')) : goal)),
    wording: goals.map((goal) => (isObject(goal) ? goal['wording'] : undefined)),
  };
};

/** The request's facts and its personal fields; `{method, path, body}` or a bare command input. */
const split = (request: unknown): { facts: unknown; personal: Record<string, unknown> | null } => {
  if (!isObject(request)) return { facts: request, personal: null };
  const holder = isObject(request['body']) ? request['body'] : request;
  const { goals, wording } = splitGoals(holder['goals']);
  const personal = Object.fromEntries([
    ...PERSONAL_FIELDS.filter((field) => holder[field] !== undefined).map((field) => [field, holder[field]]),
    ...(wording === undefined ? [] : [['wording', wording]]),
  ]);
  if (Object.keys(personal).length === 0) return { facts: request, personal: null };
  const rest = Object.fromEntries(
    Object.entries(holder)
      .filter(([field]) => !(PERSONAL_FIELDS as readonly string[]).includes(field))
      .map(([field, value]) => (field === 'goals' ? [field, goals] : [field, value])),
  );
  return { facts: holder === request ? rest : { ...request, body: rest }, personal };
};

const V2 = 'v2:';

/** Hashes the key with its user (keys of different users never collide). */
export const idempotencyRecord = (userId: string, key: string, request: unknown): IdempotencyRecord => {
  const { facts, personal } = split(request);
  return {
    key: sha256(`${userId}\n${key}`),
    fingerprint: `${V2}${sha256(canonicalJson(facts))}`,
    ...(personal ? { personal: canonicalJson(personal) } : {}),
    legacyFingerprint: sha256(canonicalJson(request)),
  };
};

/** The personal fields' HMAC under the household's data key (bound to the hashed key too). */
export const personalMac = (record: IdempotencyRecord, dataKey: Buffer): string | undefined =>
  record.personal === undefined
    ? undefined
    : createHmac('sha256', dataKey).update(`idempotency\n${record.key}\n${record.personal}`).digest('hex');

/**
 * What the events' metadata keeps of a record: the hashed key, the facts' fingerprint and, when
 * the request had personal fields and the household's key is at hand, their HMAC.
 */
export const storedIdempotency = (record: IdempotencyRecord, dataKey: Buffer | undefined): StoredIdempotency => {
  const mac = dataKey ? personalMac(record, dataKey) : undefined;
  return { key: record.key, fingerprint: record.fingerprint, ...(mac ? { personal: mac } : {}) };
};

/**
 * Ids derived from an idempotency record: a retried create targets the same case stream and the
 * same (new) household, so a racing duplicate leaves no stray reservation on another household.
 */
export const caseIdFromKey = (record: IdempotencyRecord): string => uuidFromHash(record.key);
export const householdIdFromKey = (record: IdempotencyRecord): string => uuidFromHash(sha256(`household\n${record.key}`));
/** A retried activity without its own id targets the same activity stream, where its key is found. */
export const activityIdFromKey = (record: IdempotencyRecord): string => uuidFromHash(sha256(`activity\n${record.key}`));

/** A version-4-shaped UUID from a hex digest. */
const uuidFromHash = (h: string): string =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;

/**
 * The last event written under this key, or null; throws when the key came with another request
 * (as far as the facts tell: confirmPersonal compares the personal fields, which needs the key).
 * Records written before v2 hold the whole request's hash and are compared with that.
 */
export const findReplay = (events: readonly RecordedEvent[], record: IdempotencyRecord | undefined): RecordedEvent | null => {
  if (!record) return null;
  const match = events.findLast((e) => (e.metadata as CaseEventMetadata).idempotency?.key === record.key);
  if (!match) return null;
  const stored = (match.metadata as CaseEventMetadata).idempotency as StoredIdempotency;
  const same = stored.fingerprint.startsWith(V2)
    ? stored.fingerprint === record.fingerprint
    : stored.fingerprint === record.legacyFingerprint;
  if (!same) throw new IdempotencyKeyReusedError();
  return match;
};

/**
 * Whether a replay's personal fields match too; throws when they do not. `keyOf` gives the
 * household's data key, or null when it was destroyed (erased): the personal fields can then no
 * longer be compared, and the facts' match decides (the first answer is returned).
 */
export async function confirmPersonal(match: RecordedEvent, record: IdempotencyRecord, keyOf: () => Promise<Buffer | null>): Promise<void> {
  const stored = (match.metadata as CaseEventMetadata).idempotency as StoredIdempotency;
  if (!stored.fingerprint.startsWith(V2) || stored.personal === undefined) return;
  if (record.personal === undefined) throw new IdempotencyKeyReusedError();
  const key = await keyOf();
  if (key !== null && personalMac(record, key) !== stored.personal) throw new IdempotencyKeyReusedError();
}

/** JSON with sorted keys, so that `{a,b}` and `{b,a}` are the same request. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
