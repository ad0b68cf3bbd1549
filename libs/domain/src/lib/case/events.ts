import type { CalendarDate } from '../dates';
import { unknownEvent } from '../exhaustive';
import type {
  ClosingReason,
  DetailsChangeReason,
  ExistingAid,
  ExtensionReason,
  GoalActor,
  GoalArea,
  GoalStatus,
  HouseholdDetailField,
  HouseholdGoalView,
  HousingAtClose,
  HousingOutcome,
  HousingSituation,
  InstitutionKind,
  MediationKind,
  ReferralSource,
  RejectionReason,
  RestrictionReason,
  TargetGroup,
  ThreatCause,
  VisitConcern,
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

export type ReferralReceived = Event<
  'ReferralReceived',
  {
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
  },
  { household: Household; notes?: string }
>;

export type ReferralApproved = Event<
  'ReferralApproved',
  {
    approvedOn: CalendarDate;
    assignedCaseworkerId: string;
    visitIntervalDays: number;
    plannedEndOn: CalendarDate;
  }
>;
export type ReferralRejected = Event<'ReferralRejected', { rejectedOn: CalendarDate; reason: RejectionReason }, Notes>;
export type HomeVisitRecorded = Event<
  'HomeVisitRecorded',
  {
    visitedOn: CalendarDate;
    householdMet: boolean;
    concerns: readonly VisitConcern[];
  },
  Notes
>;
export type HelpMediated = Event<
  'HelpMediated',
  {
    mediatedOn: CalendarDate;
    kind: MediationKind;
    institutionKind: InstitutionKind | null;
  },
  Notes
>;
export type HousingSecured = Event<'HousingSecured', { securedOn: CalendarDate; outcome: HousingOutcome }>;
export type HelpPeriodExtended = Event<
  'HelpPeriodExtended',
  {
    extendedOn: CalendarDate;
    plannedEndOn: CalendarDate;
    reason: ExtensionReason;
  }
>;
export type CaseworkerReassigned = Event<'CaseworkerReassigned', { reassignedOn: CalendarDate; caseworkerId: string }>;
export type CaseClosed = Event<
  'CaseClosed',
  {
    closedOn: CalendarDate;
    reason: ClosingReason;
    housingAtClose: HousingAtClose;
  },
  Notes
>;

/** One goal of a help plan, its facts: the wording is personal and lives in the personal part, by goalId. */
export interface PlannedGoal {
  readonly goalId: string;
  readonly area: GoalArea;
  readonly actor: GoalActor;
  readonly reviewOn: CalendarDate;
}

/**
 * A help plan agreed with the household. It replaces the goals of the plan before it that were
 * not settled (achieved or dropped); settled goals and earlier reviews stay facts (decision 0023).
 */
export type HelpPlanAgreed = Event<
  'HelpPlanAgreed',
  { agreedOn: CalendarDate; goals: readonly PlannedGoal[]; householdParticipated: boolean },
  /** Each goal's wording by goalId: what the household works on is personal data (it is sealed and shredded). */
  { wording: Readonly<Record<string, string>>; notes?: string }
>;
export type GoalReviewed = Event<
  'GoalReviewed',
  { reviewedOn: CalendarDate; goalId: string; status: GoalStatus; householdView: HouseholdGoalView },
  Notes
>;

/**
 * The household's contact details changed or were corrected (decision 0030). `changed` names the
 * fields replaced (a fact: which, not what); their new values are the personal part, sealed under
 * the household's key like the referral's, so an erasure shreds them too.
 */
export type HouseholdDetailsChanged = Event<
  'HouseholdDetailsChanged',
  { changedOn: CalendarDate; reason: DetailsChangeReason; changed: readonly HouseholdDetailField[] },
  { household: Partial<Household> }
>;

/**
 * Processing of the household's data is restricted (Art. 18 DSGVO; decision 0030), recorded on the
 * household stream and, like an erasure, on each of its cases: while restricted, only the Fachstelle
 * sees the personal data, and no command but closing, erasure and lifting is accepted.
 */
export type ProcessingRestricted = Event<
  'ProcessingRestricted',
  { householdId: string; restrictedOn: CalendarDate; reason: RestrictionReason }
>;
export type RestrictionLifted = Event<'RestrictionLifted', { householdId: string; liftedOn: CalendarDate }>;

/**
 * The household's personal data was erased (on request or at the end of retention). Allowed in
 * any state: it changes no fact, only that the personal parts of this case can no longer be read.
 */
export type PersonalDataErased = Event<'PersonalDataErased', { householdId: string; erasedOn: CalendarDate }>;

export type CaseEvent =
  | ReferralReceived
  | ReferralApproved
  | ReferralRejected
  | HomeVisitRecorded
  | HelpMediated
  | HousingSecured
  | HelpPeriodExtended
  | CaseworkerReassigned
  | CaseClosed
  | HelpPlanAgreed
  | GoalReviewed
  | HouseholdDetailsChanged
  | ProcessingRestricted
  | RestrictionLifted
  | PersonalDataErased;

export type CaseEventType = CaseEvent['type'];

/** True when the event type has a `personal` part (DOMAIN.md's right column). */
type HasPersonal<Type extends CaseEventType> = 'personal' extends keyof Extract<CaseEvent, { type: Type }> ? true : false;

/**
 * Every case event type, once: a type added to CaseEvent without an entry here (or with the wrong
 * `personal` flag) does not compile, and the lists below follow from it. The order is the
 * vocabulary's order (timeline labels, fixtures).
 */
export const CASE_EVENTS = {
  ReferralReceived: { personal: true },
  ReferralApproved: { personal: false },
  ReferralRejected: { personal: true },
  HomeVisitRecorded: { personal: true },
  HelpMediated: { personal: true },
  HousingSecured: { personal: false },
  HelpPeriodExtended: { personal: false },
  CaseworkerReassigned: { personal: false },
  CaseClosed: { personal: true },
  HelpPlanAgreed: { personal: true },
  GoalReviewed: { personal: true },
  HouseholdDetailsChanged: { personal: true },
  ProcessingRestricted: { personal: false },
  RestrictionLifted: { personal: false },
  PersonalDataErased: { personal: false },
} as const satisfies { readonly [Type in CaseEventType]: { readonly personal: HasPersonal<Type> } };

export const CASE_EVENT_TYPES: readonly CaseEventType[] = Object.keys(CASE_EVENTS) as CaseEventType[];

/** The event types that carry a `personal` part: their notes and household are shown, sealed and shredded. */
export const PERSONAL_EVENT_TYPES: ReadonlySet<CaseEventType> = new Set(CASE_EVENT_TYPES.filter((type) => CASE_EVENTS[type].personal));

/** A stored type this code knows; anything else must be refused, never cast (see the codec). */
export const isCaseEventType = (type: string): type is CaseEventType => Object.hasOwn(CASE_EVENTS, type);

/** The business date an event is about (stored in the metadata envelope too). */
export const businessDateOfEvent = (event: CaseEvent): CalendarDate => {
  switch (event.type) {
    case 'ReferralReceived':
      return event.data.receivedOn;
    case 'ReferralApproved':
      return event.data.approvedOn;
    case 'ReferralRejected':
      return event.data.rejectedOn;
    case 'HomeVisitRecorded':
      return event.data.visitedOn;
    case 'HelpMediated':
      return event.data.mediatedOn;
    case 'HousingSecured':
      return event.data.securedOn;
    case 'HelpPeriodExtended':
      return event.data.extendedOn;
    case 'CaseworkerReassigned':
      return event.data.reassignedOn;
    case 'CaseClosed':
      return event.data.closedOn;
    case 'HelpPlanAgreed':
      return event.data.agreedOn;
    case 'GoalReviewed':
      return event.data.reviewedOn;
    case 'HouseholdDetailsChanged':
      return event.data.changedOn;
    case 'ProcessingRestricted':
      return event.data.restrictedOn;
    case 'RestrictionLifted':
      return event.data.liftedOn;
    case 'PersonalDataErased':
      return event.data.erasedOn;
    default:
      return unknownEvent(event);
  }
};
