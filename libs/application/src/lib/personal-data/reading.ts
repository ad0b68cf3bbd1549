import {
  ForwardingEventStore,
  type EventStore,
  type ReadAllOptions,
  type RecordedEvent,
  type StreamRevision,
  type SubscribeOptions,
} from '@wih/event-store';
import { additionalData, isSealed, open } from './cipher';
import type { KeyState, PersonalDataKeys } from './keys';

type Data = Record<string, unknown>;

/** The household whose key decides whether an event's personal part is readable. */
const kidOf = (event: RecordedEvent): string | null => {
  const data = event.data as Data;
  if (isSealed(data['personal'])) return data['personal'].kid;
  // Schema 1 (plaintext): only the referral names its household; see maskedPlaintext.
  if (data['personal'] !== undefined && event.type === 'ReferralReceived' && typeof data['householdId'] === 'string')
    return data['householdId'];
  return null;
};

const opened = (event: RecordedEvent, keys: ReadonlyMap<string, KeyState>): RecordedEvent => {
  const data = event.data as Data;
  const personal = data['personal'];
  if (personal === undefined) return event;
  const key = keys.get(kidOf(event) ?? '');
  let plain: unknown;
  if (isSealed(personal)) {
    plain = key?.status === 'active' ? open(personal, key.key, additionalData(event.type, event.id)) : null;
  } else {
    // Plaintext of an erased household is masked on read; the rows stay until a store migration.
    plain = key?.status === 'destroyed' ? null : personal;
  }
  return plain === personal ? event : { ...event, data: { ...data, personal: plain } };
};

/**
 * Opens the personal parts of a batch of stored events: plaintext where the household's key is
 * active, null where it is destroyed or missing (erased) or the blob does not open. One key-store
 * read per batch for the households not cached.
 */
export async function openPersonalData(batch: readonly RecordedEvent[], keys: PersonalDataKeys): Promise<RecordedEvent[]> {
  const kids = batch.map(kidOf).filter((kid): kid is string => kid !== null);
  const states = kids.length === 0 ? new Map<string, KeyState>() : await keys.forReading(kids);
  return batch.map((event) => opened(event, states));
}

async function* openEach(batches: AsyncIterable<RecordedEvent[]>, keys: PersonalDataKeys): AsyncIterable<RecordedEvent[]> {
  for await (const batch of batches) yield await openPersonalData(batch, keys);
}

/**
 * The event store as the projections read it: every event's personal part opened. Writes and
 * everything else pass through. Evaluation and command handling use the store itself: they never
 * need personal data, so they never decrypt it.
 */
export const withPersonalData = (store: EventStore, keys: PersonalDataKeys): EventStore => new OpeningEventStore(store, keys);

class OpeningEventStore extends ForwardingEventStore {
  constructor(
    inner: EventStore,
    private readonly keys: PersonalDataKeys,
  ) {
    super(inner);
  }

  override async readStream(stream: string, options?: { fromRevision?: StreamRevision }): Promise<RecordedEvent[]> {
    return openPersonalData(await this.inner.readStream(stream, options), this.keys);
  }

  override readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]> {
    return openEach(this.inner.readAll(options), this.keys);
  }

  override subscribe(options?: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    return openEach(this.inner.subscribe(options), this.keys);
  }
}
