import type { CalendarDate } from '../dates';
import type {
  ClosingReason, ExistingAid, ExtensionReason, HousingAtClose, HousingOutcome, HousingSituation,
  InstitutionKind, MediationKind, ReferralSource, RejectionReason, TargetGroup, ThreatCause, VisitConcern,
} from './vocabulary';

/**
 * Events of a case. `data` holds the non-personal facts; `personal` holds the personal data
 * (DOMAIN.md's right column) as one object, so it can be encrypted and shredded as a whole.
 */
type Event<Type extends string, Data, Personal = undefined> = Personal extends undefined
  ? { readonly type: Type; readonly data: Data }
  : { readonly type: Type; readonly data: Data; readonly personal: Personal };

export interface Household {
  readonly name: string;
  readonly address: string;
  readonly phone?: string;
}
export interface Notes {
  readonly notes?: string;
}

export type ReferralReceived = Event<'ReferralReceived', {
  caseId: string;
  householdId: string;
  receivedOn: CalendarDate;
  referralSource: ReferralSource;
  targetGroup: TargetGroup;
  housingSituation: HousingSituation;
  threatCauses: readonly ThreatCause[];
  adults: number;
  children: number;
  existingAid: readonly ExistingAid[];
  consentGiven: boolean;
  previousCaseId: string | null;
  /** The user who recorded the referral: a caseworker may act on it before approval (rule 6). */
  recordedBy: string;
}, { household: Household; notes?: string }>;

export type ReferralApproved = Event<'ReferralApproved', {
  approvedOn: CalendarDate; assignedCaseworkerId: string; visitIntervalDays: number; plannedEndOn: CalendarDate;
}>;
export type ReferralRejected = Event<'ReferralRejected', { rejectedOn: CalendarDate; reason: RejectionReason }, Notes>;
export type HomeVisitRecorded = Event<'HomeVisitRecorded', {
  visitedOn: CalendarDate; householdMet: boolean; concerns: readonly VisitConcern[];
}, Notes>;
export type HelpMediated = Event<'HelpMediated', {
  mediatedOn: CalendarDate; kind: MediationKind; institutionKind: InstitutionKind | null;
}, Notes>;
export type HousingSecured = Event<'HousingSecured', { securedOn: CalendarDate; outcome: HousingOutcome }>;
export type HelpPeriodExtended = Event<'HelpPeriodExtended', {
  extendedOn: CalendarDate; plannedEndOn: CalendarDate; reason: ExtensionReason;
}>;
export type CaseworkerReassigned = Event<'CaseworkerReassigned', { reassignedOn: CalendarDate; caseworkerId: string }>;
export type CaseClosed = Event<'CaseClosed', {
  closedOn: CalendarDate; reason: ClosingReason; housingAtClose: HousingAtClose;
}, Notes>;

/**
 * The household's personal data was erased (on request or at the end of retention). Allowed in
 * any state: it changes no fact, only that the personal parts of this case can no longer be read.
 */
export type PersonalDataErased = Event<'PersonalDataErased', { householdId: string; erasedOn: CalendarDate }>;

export type CaseEvent =
  | ReferralReceived | ReferralApproved | ReferralRejected | HomeVisitRecorded | HelpMediated
  | HousingSecured | HelpPeriodExtended | CaseworkerReassigned | CaseClosed | PersonalDataErased;

export type CaseEventType = CaseEvent['type'];

export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'ReferralReceived', 'ReferralApproved', 'ReferralRejected', 'HomeVisitRecorded', 'HelpMediated',
  'HousingSecured', 'HelpPeriodExtended', 'CaseworkerReassigned', 'CaseClosed', 'PersonalDataErased',
];

/** The business date an event is about (stored in the metadata envelope too). */
export const businessDateOfEvent = (event: CaseEvent): CalendarDate => {
  switch (event.type) {
    case 'ReferralReceived': return event.data.receivedOn;
    case 'ReferralApproved': return event.data.approvedOn;
    case 'ReferralRejected': return event.data.rejectedOn;
    case 'HomeVisitRecorded': return event.data.visitedOn;
    case 'HelpMediated': return event.data.mediatedOn;
    case 'HousingSecured': return event.data.securedOn;
    case 'HelpPeriodExtended': return event.data.extendedOn;
    case 'CaseworkerReassigned': return event.data.reassignedOn;
    case 'CaseClosed': return event.data.closedOn;
    case 'PersonalDataErased': return event.data.erasedOn;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
};
