import { maxDate, type CalendarDate } from '../dates';
import type { CaseEvent, ReferralReceived } from './events';
import type { ExistingAid } from './vocabulary';

/** What decide needs to know about a case, keyed by status so that decide narrows it. */
interface Referral {
  readonly caseId: string;
  readonly householdId: string;
  readonly receivedOn: CalendarDate;
  readonly recordedBy: string;
  readonly consentGiven: boolean;
  readonly existingAid: readonly ExistingAid[];
  /** Set by PersonalDataErased: no personal data may be recorded for the case any more. */
  readonly personalDataErased: boolean;
}

interface Help extends Referral {
  readonly approvedOn: CalendarDate;
  readonly caseworkerId: string;
  readonly visitIntervalDays: number;
  readonly plannedEndOn: CalendarDate;
  /** The planned end set at approval: extensions are limited to 24 months beyond it. */
  readonly originalPlannedEndOn: CalendarDate;
  readonly housingSecured: boolean;
  /** Latest business date of a visit, mediation or housing secured: a closure cannot precede it. */
  readonly lastActivityOn: CalendarDate;
  readonly lastVisitOn: CalendarDate | null;
}

export type CaseState =
  | { readonly status: 'none' }
  | ({ readonly status: 'referred' } & Referral)
  | ({ readonly status: 'rejected'; readonly rejectedOn: CalendarDate } & Referral)
  | ({ readonly status: 'active' } & Help)
  | ({ readonly status: 'closed'; readonly closedOn: CalendarDate } & Help);

export type CaseStatus = CaseState['status'];

export const initialCaseState = (): CaseState => ({ status: 'none' });

const referralOf = ({ data }: ReferralReceived): Referral => ({
  caseId: data.caseId,
  householdId: data.householdId,
  receivedOn: data.receivedOn,
  recordedBy: data.recordedBy,
  consentGiven: data.consentGiven,
  existingAid: data.existingAid,
  personalDataErased: false,
});

const withActivity = (state: CaseState, on: CalendarDate, patch: Partial<Help> = {}): CaseState =>
  state.status === 'active' ? { ...state, ...patch, lastActivityOn: maxDate(state.lastActivityOn, on) ?? on } : state;

/** Folds one stored fact into the state. Never validates: events are facts. */
export const evolveCase = (state: CaseState, event: CaseEvent): CaseState => {
  switch (event.type) {
    case 'ReferralReceived':
      return { status: 'referred', ...referralOf(event) };
    case 'ReferralApproved':
      if (state.status !== 'referred') return state;
      return {
        ...state,
        status: 'active',
        approvedOn: event.data.approvedOn,
        caseworkerId: event.data.assignedCaseworkerId,
        visitIntervalDays: event.data.visitIntervalDays,
        plannedEndOn: event.data.plannedEndOn,
        originalPlannedEndOn: event.data.plannedEndOn,
        housingSecured: false,
        lastActivityOn: event.data.approvedOn,
        lastVisitOn: null,
      };
    case 'ReferralRejected':
      return state.status === 'referred' ? { ...state, status: 'rejected', rejectedOn: event.data.rejectedOn } : state;
    case 'HomeVisitRecorded': {
      const on = event.data.visitedOn;
      if (state.status !== 'active') return state;
      return withActivity(state, on, { lastVisitOn: maxDate(state.lastVisitOn, on) });
    }
    case 'HelpMediated':
      return withActivity(state, event.data.mediatedOn);
    case 'HousingSecured':
      return withActivity(state, event.data.securedOn, { housingSecured: true });
    case 'HelpPeriodExtended':
      return state.status === 'active' ? { ...state, plannedEndOn: event.data.plannedEndOn } : state;
    case 'CaseworkerReassigned':
      return state.status === 'active' ? { ...state, caseworkerId: event.data.caseworkerId } : state;
    case 'CaseClosed':
      return state.status === 'active' ? { ...state, status: 'closed', closedOn: event.data.closedOn } : state;
    case 'PersonalDataErased':
      return state.status === 'none' ? state : { ...state, personalDataErased: true };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
};
