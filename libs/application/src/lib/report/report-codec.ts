import { businessDateOf, isReportEventType, type ReportEvent } from '@wih/domain';
import type { NewEvent, RecordedEvent } from '@wih/event-store';
import { randomUUID } from 'node:crypto';
import { SCHEMA_VERSION, type CaseEventMetadata, type Envelope } from '../codec';
import { UnknownEventTypeError } from '../schema/upcasting';

/**
 * A report event as stored: its facts at the top level, no personal part (the text was checked
 * against the households before it got here), the idempotency record in the metadata like a case
 * event's, so a keyed retry answers as the first time (decision 0004).
 */
export const encodeReportEvent = (event: ReportEvent, envelope: Envelope, id: string = randomUUID()): NewEvent => {
  const { idempotency, ...rest } = envelope;
  const businessDate = event.type === 'AnnualReportFinalised' ? event.data.finalisedOn : businessDateOf(new Date(envelope.recordedAt));
  const metadata: CaseEventMetadata = { ...rest, businessDate, schemaVersion: SCHEMA_VERSION, ...(idempotency ? { idempotency } : {}) };
  return { id, type: event.type, data: { ...event.data }, metadata };
};

export const decodeReportEvent = (recorded: RecordedEvent): ReportEvent => {
  if (!isReportEventType(recorded.type)) throw new UnknownEventTypeError(recorded.type, recorded.streamName, recorded.revision);
  return { type: recorded.type, data: recorded.data } as ReportEvent;
};
