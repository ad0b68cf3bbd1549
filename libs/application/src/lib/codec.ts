import type { CaseEvent, HouseholdEvent } from '@wih/domain';
import { businessDateOfEvent } from '@wih/domain';
import type { EventMetadata, NewEvent, RecordedEvent } from '@wih/event-store';
import { randomUUID } from 'node:crypto';

/** Bumped when a stored event's shape changes; readers upcast older versions. */
export const SCHEMA_VERSION = 1;

/** The envelope's metadata, plus the idempotency record of the command that wrote the event. */
export interface CaseEventMetadata extends EventMetadata {
  readonly idempotency?: { readonly key: string; readonly fingerprint: string };
}

export interface Envelope {
  readonly commandId: string;
  readonly correlationId: string;
  readonly userId: string;
  readonly role: string;
  readonly recordedAt: string;
  readonly idempotency?: CaseEventMetadata['idempotency'];
}

/**
 * Stored payload: the non-personal facts at the top level, the personal part as one nested
 * `personal` object (so that it can be encrypted as a whole).
 */
export const encodeCaseEvent = (event: CaseEvent, envelope: Envelope): NewEvent => ({
  id: randomUUID(),
  type: event.type,
  data: 'personal' in event ? { ...event.data, personal: event.personal } : { ...event.data },
  metadata: metadataOf(envelope, businessDateOfEvent(event)),
});

export const encodeHouseholdEvent = (event: HouseholdEvent, envelope: Envelope): NewEvent => ({
  id: randomUUID(),
  type: event.type,
  data: { ...event.data },
  metadata: metadataOf({ ...envelope, idempotency: undefined }, envelope.recordedAt.slice(0, 10)),
});

const metadataOf = (envelope: Envelope, businessDate: string): CaseEventMetadata => {
  const { idempotency, ...rest } = envelope;
  return { ...rest, businessDate, schemaVersion: SCHEMA_VERSION, ...(idempotency ? { idempotency } : {}) };
};

export const decodeCaseEvent = (recorded: RecordedEvent): CaseEvent => {
  const { personal, ...data } = recorded.data as Record<string, unknown>;
  return (personal === undefined ? { type: recorded.type, data } : { type: recorded.type, data, personal }) as CaseEvent;
};

export const decodeHouseholdEvent = (recorded: RecordedEvent): HouseholdEvent =>
  ({ type: recorded.type, data: recorded.data }) as HouseholdEvent;
