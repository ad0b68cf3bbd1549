import { ACTIVITY_CATEGORY, type CaseEvent } from '@wih/domain';
import type { ProjectedEvent } from '@wih/projections';
import { categoryOf, idOf, type RecordedEvent } from '@wih/event-store';
import { decodeActivityEvent } from '../activity/activity-codec';
import { decodeCaseEvent } from '../codec';

/**
 * A stored case event as projections see it (decoded, with its place in the log). One object
 * literal of one shape for every event (`personal` undefined when there is none): a rebuild builds
 * a million of them, and the projections' property reads stay monomorphic.
 */
export const toProjectedEvent = (recorded: RecordedEvent): ProjectedEvent => {
  // Each category decodes with its own codec (refusing types it does not know); the runner hands a
  // projection only the events of its category, so the activities projection gets activity events.
  const event = (
    categoryOf(recorded.streamName) === ACTIVITY_CATEGORY ? decodeActivityEvent(recorded) : decodeCaseEvent(recorded)
  ) as CaseEvent & { readonly personal?: unknown };
  return {
    type: event.type,
    data: event.data,
    personal: event.personal,
    streamId: idOf(recorded.streamName),
    revision: recorded.revision,
    position: recorded.position.toString(),
    recordedAt: recorded.metadata.recordedAt,
    businessDate: recorded.metadata.businessDate,
  } as ProjectedEvent;
};
