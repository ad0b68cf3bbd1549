import { ACTIVITY_CATEGORY, CASE_CATEGORY, isActivityEventType, isCaseEventType } from '@wih/domain';
import { collectFacts, type ActivityEvaluationEvent, type EvaluationEvent, type Facts } from '@wih/evaluation';
import { idOf, type EventStore, type LogPosition, type RecordedEvent } from '@wih/event-store';
import { createHmac, randomBytes } from 'node:crypto';
import { isCaseEvent } from '../case-commands';
import { UnknownEventTypeError } from '../schema/upcasting';

/** Events per read: large batches keep a replay of a long log fast; the fold itself is cheap. */
export const REPLAY_BATCH_SIZE = 2000;

/** Called after every batch: events seen so far, the head at the start, the position reached. */
export type ReplayProgress = (done: number, head: LogPosition, position: LogPosition) => void;

/**
 * A stored case event as evaluation sees it. The rest of `data` is taken without `personal`, so
 * names, addresses and notes never reach the evaluation code (not even as an ignored field).
 */
export const toEvaluationEvent = (recorded: RecordedEvent): EvaluationEvent => {
  // A type this code does not know would be counted as nothing: the report would be wrong unnoticed.
  if (!isCaseEventType(recorded.type)) throw new UnknownEventTypeError(recorded.type, recorded.streamName, recorded.revision);
  const { personal: _personal, ...data } = recorded.data as Record<string, unknown>;
  return {
    type: recorded.type,
    data,
    caseId: idOf(recorded.streamName),
    recordedAt: recorded.metadata.recordedAt,
    businessDate: recorded.metadata.businessDate,
  } as EvaluationEvent;
};

/** A stored activity event as evaluation sees it: its codes and numbers, without who recorded it. */
export const toActivityEvaluationEvent = (recorded: RecordedEvent): ActivityEvaluationEvent => {
  // Refused loudly like an unknown case event: counting it as nothing would be wrong unnoticed.
  if (!isActivityEventType(recorded.type)) throw new UnknownEventTypeError(recorded.type, recorded.streamName, recorded.revision);
  const { recordedBy: _recordedBy, ...data } = recorded.data as Record<string, unknown>;
  return {
    type: recorded.type,
    data,
    recordedAt: recorded.metadata.recordedAt,
    businessDate: recorded.metadata.businessDate,
  } as ActivityEvaluationEvent;
};

/**
 * The facts known at `asOf`, replayed from the log itself (never from the read models, which may
 * lag or be mid-rebuild). Read-only. The whole log is read: recordedAt follows the log order only
 * as closely as the writers' clocks agree, so stopping at the first later event could miss
 * earlier ones; collectFacts skips what was recorded after asOf.
 */
export async function replayFacts(events: EventStore, asOf: string, onProgress?: ReplayProgress): Promise<Facts> {
  const collector = collectFacts(asOf);
  const head = onProgress ? await events.headPosition(CASE_CATEGORY) : 0n;
  let done = 0;
  for await (const batch of events.readAll({ category: CASE_CATEGORY, batchSize: REPLAY_BATCH_SIZE })) {
    for (const recorded of batch) if (isCaseEvent(recorded)) collector.add(toEvaluationEvent(recorded));
    done += batch.length;
    onProgress?.(done, head, batch[batch.length - 1].position);
  }
  // The activity streams after the cases: few events, under the same asOf rule (collectFacts).
  for await (const batch of events.readAll({ category: ACTIVITY_CATEGORY, batchSize: REPLAY_BATCH_SIZE })) {
    for (const recorded of batch) collector.addActivity(toActivityEvaluationEvent(recorded));
  }
  // Facts for one answer: computed over in one pass, with no segments to keep figures for (decision 0047).
  const { segments: _segments, ...facts } = collector.facts();
  return facts;
}

/**
 * Pseudonyms for one report: HMAC-SHA256 of the case id under a key drawn for this report only and
 * kept nowhere, so rows of two reports cannot be linked and a pseudonym cannot be traced back to
 * its case. 12 hex digits (48 bits) keep collisions negligible for any realistic caseload.
 */
export const pseudonymiser = (): ((caseId: string) => string) => {
  const key = randomBytes(32);
  return (caseId) => createHmac('sha256', key).update(caseId).digest('hex').slice(0, 12);
};
