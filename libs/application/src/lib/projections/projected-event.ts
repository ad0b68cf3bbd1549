import type { CaseEvent } from '@wih/domain';
import type { ProjectedEvent } from '@wih/projections';
import { idOf, type RecordedEvent } from '@wih/event-store';
import { decodeCaseEvent } from '../codec';

/**
 * A stored case event as projections see it (decoded, with its place in the log). One object
 * literal of one shape for every event (`personal` undefined when there is none): a rebuild builds
 * a million of them, and the projections' property reads stay monomorphic.
 */
export const toProjectedEvent = (recorded: RecordedEvent): ProjectedEvent => {
  const event = decodeCaseEvent(recorded) as CaseEvent & { readonly personal?: unknown };
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
