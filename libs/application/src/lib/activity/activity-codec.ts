import { isActivityEventType, type ActivityEvent } from '@wih/domain';
import type { NewEvent, RecordedEvent } from '@wih/event-store';
import { metadataOf, SCHEMA_VERSION, type Envelope } from '../codec';
import { UnknownEventTypeError } from '../schema/upcasting';

/**
 * An activity event as stored: its facts as they are (no personal part to seal), the business
 * date `on`, and the request's idempotency record, which the activity stream keeps like a case
 * stream does (decision 0004).
 */
export const encodeActivityEvent = (event: ActivityEvent, envelope: Envelope, id: string): NewEvent => ({
  id,
  type: event.type,
  data: { ...event.data },
  metadata: metadataOf(envelope, event.data.on, SCHEMA_VERSION),
});

/** A type this code does not know is refused, never cast (its fold would make it the state). */
export const decodeActivityEvent = (recorded: RecordedEvent): ActivityEvent => {
  if (!isActivityEventType(recorded.type)) throw new UnknownEventTypeError(recorded.type, recorded.streamName, recorded.revision);
  return { type: recorded.type, data: recorded.data } as ActivityEvent;
};
