import type { CaseEvent, HouseholdEvent, ReservationFence } from '@wih/domain';
import { businessDateOfEvent, isCaseEventType } from '@wih/domain';
import type { EventMetadata, NewEvent, RecordedEvent } from '@wih/event-store';
import { createHash, randomUUID } from 'node:crypto';
import { additionalData, isSealed, seal } from './personal-data/cipher';
import { UnknownEventTypeError } from './schema/upcasting';

/**
 * Bumped when a stored event's shape changes; readers upcast older versions.
 * 1: the personal part in plaintext (events written before encryption; still read).
 * 2: the personal part sealed with the household's data key (SealedPersonal).
 */
export const SCHEMA_VERSION = 2;
export const PLAINTEXT_SCHEMA_VERSION = 1;

/** The household's current data key and its id (the `kid`), to seal the personal part of the events being written. */
export interface Protection {
  readonly keyId: string;
  readonly key: Buffer;
}

/** The id of the key an event's personal part was sealed with, if it has a sealed one. */
export const sealedKeyIdOf = (event: RecordedEvent): string | null => {
  const kid = (event.data as { personal?: { kid?: unknown } } | null)?.personal?.kid;
  return typeof kid === 'string' ? kid : null;
};

/**
 * The idempotency record as the events keep it (decision 0004): hashes only. `personal` (since v2)
 * is the HMAC of the request's personal fields under the household's data key.
 */
export interface StoredIdempotency {
  readonly key: string;
  readonly fingerprint: string;
  readonly personal?: string;
}

/** The envelope's metadata, plus the idempotency record of the command that wrote the event. */
export interface CaseEventMetadata extends EventMetadata {
  readonly idempotency?: StoredIdempotency;
}

export interface Envelope {
  readonly commandId: string;
  readonly correlationId: string;
  readonly userId: string;
  readonly role: string;
  readonly recordedAt: string;
  readonly idempotency?: CaseEventMetadata['idempotency'];
}

/** True when the event carries personal data to protect (an empty personal part, e.g. no notes, does not). */
export const carriesPersonalData = (event: CaseEvent): boolean =>
  'personal' in event && event.personal !== null && Object.keys(event.personal).length > 0;

/**
 * The id of the event a command writes at `revision` of `stream`: a name-based UUID (version 5
 * layout, SHA-256) of the request — its idempotency record (key, fingerprint, personal HMAC) if it has one,
 * else its command id — and the slot. A retry of a request whose append had an unknown outcome
 * (time-out, lost connection) decides again at the same revision with the same ids: EventStoreDB
 * then answers the first append's result instead of writing again (idempotent append: same ids
 * at the same expected revision), SQLite refuses a second row (unique event id). A decision at
 * another revision gets other ids, so a renewed reservation never collides with the first.
 */
export const eventIdOf = (envelope: Envelope, stream: string, revision: number): string => {
  const keyed = envelope.idempotency;
  const request = keyed
    ? `key\n${keyed.key}\n${keyed.fingerprint}${keyed.personal ? `\n${keyed.personal}` : ''}`
    : `command\n${envelope.commandId}`;
  const h = createHash('sha256').update(`${request}\n${stream}\n${revision}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The ids of `count` events appended to `stream` at `expected` (see eventIdOf). */
export const eventIdsOf = (envelope: Envelope, stream: string, expected: number | 'no-stream', count: number): string[] =>
  Array.from({ length: count }, (_, i) => eventIdOf(envelope, stream, (expected === 'no-stream' ? -1 : expected) + 1 + i));

/**
 * Stored payload: the non-personal facts at the top level, the personal part as one nested
 * `personal` object (so that it can be encrypted as a whole).
 */
export const encodeCaseEvent = (event: CaseEvent, envelope: Envelope, protection?: Protection, id: string = randomUUID()): NewEvent => {
  const sealed = protection && carriesPersonalData(event);
  const personal =
    'personal' in event
      ? { personal: sealed ? seal(event.personal, protection.keyId, protection.key, additionalData(event.type, id)) : event.personal }
      : {};
  // Without a key the event is written in the plaintext form (schema 1): only tools that generate
  // synthetic histories do that. Every command path passes the household's key.
  const version = sealed || !carriesPersonalData(event) ? SCHEMA_VERSION : PLAINTEXT_SCHEMA_VERSION;
  return {
    id,
    type: event.type,
    data: { ...event.data, ...personal },
    metadata: metadataOf(envelope, businessDateOfEvent(event), version),
  };
};

/** A household event, or the fence the household decision writes to a case stream (decision 0005). */
export const encodeHouseholdEvent = (
  event: HouseholdEvent | ReservationFence,
  envelope: Envelope,
  id: string = randomUUID(),
): NewEvent => ({
  id,
  type: event.type,
  data: { ...event.data },
  metadata: metadataOf({ ...envelope, idempotency: undefined }, envelope.recordedAt.slice(0, 10), SCHEMA_VERSION),
});

/** The stored metadata: the envelope, the business date and schema version, and the idempotency record if any. */
export const metadataOf = (envelope: Envelope, businessDate: string, schemaVersion: number): CaseEventMetadata => {
  const { idempotency, ...rest } = envelope;
  return { ...rest, businessDate, schemaVersion, ...(idempotency ? { idempotency } : {}) };
};

/**
 * The domain event of a stored one. A personal part still sealed (not opened by
 * `openPersonalData`) decodes as null, like an erased one: ciphertext never reaches a consumer.
 * The write side's fold reads only facts, so command handling never decrypts.
 */
export const decodeCaseEvent = (recorded: RecordedEvent): CaseEvent => {
  // A type this code does not know is refused, never cast: its fold would make the event the state.
  if (!isCaseEventType(recorded.type)) throw new UnknownEventTypeError(recorded.type, recorded.streamName, recorded.revision);
  const { personal, ...data } = recorded.data as Record<string, unknown>;
  if (personal === undefined) return { type: recorded.type, data } as CaseEvent;
  return { type: recorded.type, data, personal: isSealed(personal) ? null : personal } as unknown as CaseEvent;
};

/** Every household event type, once: a type added to HouseholdEvent without an entry here does not compile. */
const HOUSEHOLD_EVENTS = {
  HouseholdCaseReserved: true,
  HouseholdReservationReleased: true,
  ProcessingRestricted: true,
  RestrictionLifted: true,
  PersonalDataErased: true,
} as const satisfies { readonly [Type in HouseholdEvent['type']]: true };

export const HOUSEHOLD_EVENT_TYPES: ReadonlySet<HouseholdEvent['type']> = new Set(
  Object.keys(HOUSEHOLD_EVENTS) as HouseholdEvent['type'][],
);

const isHouseholdEventType = (type: string): type is HouseholdEvent['type'] => Object.hasOwn(HOUSEHOLD_EVENTS, type);

export const decodeHouseholdEvent = (recorded: RecordedEvent): HouseholdEvent => {
  if (!isHouseholdEventType(recorded.type)) throw new UnknownEventTypeError(recorded.type, recorded.streamName, recorded.revision);
  return { type: recorded.type, data: recorded.data } as HouseholdEvent;
};
