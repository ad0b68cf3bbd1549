import {
  ACTIVITY_CATEGORY,
  activityDecider,
  authorizeActivity,
  CASE_CATEGORY,
  caseDecider,
  HOUSEHOLD_CATEGORY,
  householdDecider,
  REPORT_CATEGORY,
  reportDecider,
  RESERVATION_FENCE,
  requireActor,
  type ActivityCommand,
  type ActivityEvent,
  type ActivityState,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type HouseholdCommand,
  type HouseholdEvent,
  type HouseholdState,
  type ReportCommand,
  type ReportEvent,
  type ReportState,
} from '@wih/domain';
import { streamName, type RecordedEvent } from '@wih/event-store';
import { decodeActivityEvent, encodeActivityEvent } from './activity/activity-codec';
import { carriesPersonalData, decodeCaseEvent, decodeHouseholdEvent, encodeCaseEvent, encodeHouseholdEvent } from './codec';
import type { StreamDecider } from './handle-command';
import { decodeReportEvent, encodeReportEvent } from './report/report-codec';

export const caseStream = (caseId: string): string => streamName(CASE_CATEGORY, caseId);
export const householdStream = (householdId: string): string => streamName(HOUSEHOLD_CATEGORY, householdId);
export const reportStream = (year: number): string => streamName(REPORT_CATEGORY, String(year));
export const activityStream = (activityId: string): string => streamName(ACTIVITY_CATEGORY, activityId);

/** Whether a stored event of a case stream is a case event (not the fence of a healed reservation, decision 0005). */
export const isCaseEvent = (event: RecordedEvent): boolean => event.type !== RESERVATION_FENCE;

/** The case streams: personal parts sealed under the case's household's key. */
export const CASE_STREAMS: StreamDecider<CaseState, CaseCommand, CaseEvent> = {
  ...caseDecider,
  decode: (recorded) => (isCaseEvent(recorded) ? decodeCaseEvent(recorded) : null),
  encode: encodeCaseEvent,
  carriesPersonalData,
  // A referral names its household; on an existing case it is the case's.
  keyOwner: (state, command) =>
    state.status !== 'none' ? state.householdId : command?.type === 'ReceiveReferral' ? command.data.householdId : '',
  authorize: requireActor,
};

/** The household streams: no personal data, no idempotency records (the case streams keep those). */
export const HOUSEHOLD_STREAMS: StreamDecider<HouseholdState, HouseholdCommand, HouseholdEvent> = {
  ...householdDecider,
  decode: decodeHouseholdEvent,
  encode: (event, envelope, _protection, id) => encodeHouseholdEvent(event, envelope, id),
  carriesPersonalData: () => false,
  keyOwner: () => '',
};

/** The annual report's streams, one per year: no personal data; the domain checks the role itself (before If-Match). */
export const REPORT_STREAMS: StreamDecider<ReportState, ReportCommand, ReportEvent> = {
  ...reportDecider,
  decode: decodeReportEvent,
  encode: (event, envelope, _protection, id) => encodeReportEvent(event, envelope, id),
  carriesPersonalData: () => false,
  keyOwner: () => '',
};

/**
 * The activity streams: no personal data, so no key seals them; their idempotency records live in
 * their own events' metadata, as on the case streams (decision 0024).
 */
export const ACTIVITY_STREAMS: StreamDecider<ActivityState, ActivityCommand, ActivityEvent> = {
  ...activityDecider,
  decode: decodeActivityEvent,
  encode: (event, envelope, _protection, id) => encodeActivityEvent(event, envelope, id),
  carriesPersonalData: () => false,
  keyOwner: () => '',
  authorize: authorizeActivity,
};

export const foldCase = (events: readonly RecordedEvent[]): CaseState => fold(CASE_STREAMS, events);
export const foldHousehold = (events: readonly RecordedEvent[]): HouseholdState => fold(HOUSEHOLD_STREAMS, events);
export const foldActivity = (events: readonly RecordedEvent[]): ActivityState => fold(ACTIVITY_STREAMS, events);
export const foldReport = (events: readonly RecordedEvent[]): ReportState => fold(REPORT_STREAMS, events);

function fold<State, Command, Event>(decider: StreamDecider<State, Command, Event>, events: readonly RecordedEvent[]): State {
  return events.reduce((state, recorded) => {
    const event = decider.decode(recorded);
    return event === null ? state : decider.evolve(state, event);
  }, decider.initialState());
}
