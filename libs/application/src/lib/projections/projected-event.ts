import type { ProjectedEvent } from '@wih/projections';
import { idOf, type RecordedEvent } from '@wih/event-store';
import { decodeCaseEvent } from '../codec';

/** A stored case event as projections see it (decoded, with its place in the log). */
export const toProjectedEvent = (recorded: RecordedEvent): ProjectedEvent => ({
  ...decodeCaseEvent(recorded),
  caseId: idOf(recorded.streamName),
  revision: recorded.revision,
  position: recorded.position.toString(),
  recordedAt: recorded.metadata.recordedAt,
  businessDate: recorded.metadata.businessDate,
});
