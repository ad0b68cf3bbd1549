import { businessDateOfEvent, type CaseEvent, type Household } from '@wih/domain';
import type { ProjectedEvent, Projection } from '../projection';

/** Test data for projections: one case's history as the runner would hand it over. Test-only. */
export const CASE_ID = 'case-0001';
export const HOUSEHOLD_ID = 'household-0001';
export const ANNA = 'user-anna';
export const BEN = 'user-ben';
export const HOUSEHOLD: Household = { name: 'Familie Öztürk', address: 'Venloer Str. 12, 50672 Köln', phone: '0221 555 0101' };
export const NOTES = 'Vermieter droht mit Räumungsklage';
export const WORDING: Readonly<Record<string, string>> = {
  'goal-rent': 'Mietrückstand bei der GAG in Raten abbauen',
  'goal-job': 'Weiterbewilligungsantrag beim Jobcenter stellen',
};

type Of<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;
type DataOf<T extends CaseEvent['type']> = Partial<Of<T>['data']>;

// ---- events (defaults give a valid history: received 10 Jan, approved 20 Jan for Anna) -----

export const ev = {
  received: (
    data: DataOf<'ReferralReceived'> = {},
    personal: Of<'ReferralReceived'>['personal'] = { household: HOUSEHOLD },
  ): Of<'ReferralReceived'> => ({
    type: 'ReferralReceived',
    data: {
      caseId: CASE_ID,
      householdId: HOUSEHOLD_ID,
      receivedOn: '2025-01-10',
      referralSource: 'social_office',
      targetGroup: 'recommitted',
      housingSituation: 'seized_flat',
      threatCauses: ['rent_arrears'],
      adults: 2,
      children: 1,
      existingAid: [],
      consentGiven: true,
      previousCaseId: null,
      recordedBy: ANNA,
      ...data,
    },
    personal,
  }),
  approved: (data: DataOf<'ReferralApproved'> = {}): Of<'ReferralApproved'> => ({
    type: 'ReferralApproved',
    data: { approvedOn: '2025-01-20', assignedCaseworkerId: ANNA, visitIntervalDays: 28, plannedEndOn: '2026-01-20', ...data },
  }),
  rejected: (data: DataOf<'ReferralRejected'> = {}, personal: Of<'ReferralRejected'>['personal'] = {}): Of<'ReferralRejected'> => ({
    type: 'ReferralRejected',
    data: { rejectedOn: '2025-01-15', reason: 'not_target_group', ...data },
    personal,
  }),
  visit: (visitedOn: string, personal: Of<'HomeVisitRecorded'>['personal'] = {}): Of<'HomeVisitRecorded'> => ({
    type: 'HomeVisitRecorded',
    data: { visitedOn, householdMet: true, concerns: ['tenancy'] },
    personal,
  }),
  mediated: (mediatedOn: string, personal: Of<'HelpMediated'>['personal'] = {}): Of<'HelpMediated'> => ({
    type: 'HelpMediated',
    data: { mediatedOn, kind: 'landlord', institutionKind: 'housing_company' },
    personal,
  }),
  secured: (securedOn: string): Of<'HousingSecured'> => ({ type: 'HousingSecured', data: { securedOn, outcome: 'tenancy_preserved' } }),
  extended: (plannedEndOn: string, extendedOn: string): Of<'HelpPeriodExtended'> => ({
    type: 'HelpPeriodExtended',
    data: { extendedOn, plannedEndOn, reason: 'housing_search_ongoing' },
  }),
  reassigned: (caseworkerId: string, reassignedOn: string): Of<'CaseworkerReassigned'> => ({
    type: 'CaseworkerReassigned',
    data: { reassignedOn, caseworkerId },
  }),
  closed: (data: DataOf<'CaseClosed'> = {}, personal: Of<'CaseClosed'>['personal'] = {}): Of<'CaseClosed'> => ({
    type: 'CaseClosed',
    data: { closedOn: '2025-06-10', reason: 'time_limit_reached', housingAtClose: 'committed_housing', ...data },
    personal,
  }),
  /** Two goals: rent arrears (together, review 1 March), the Jobcenter application (the household, review 1 April). */
  planned: (
    data: DataOf<'HelpPlanAgreed'> = {},
    personal: Of<'HelpPlanAgreed'>['personal'] = { wording: WORDING },
  ): Of<'HelpPlanAgreed'> => ({
    type: 'HelpPlanAgreed',
    data: {
      agreedOn: '2025-02-01',
      goals: [
        { goalId: 'goal-rent', area: 'rent_and_debts', actor: 'together', reviewOn: '2025-03-01' },
        { goalId: 'goal-job', area: 'income_and_benefits', actor: 'household', reviewOn: '2025-04-01' },
      ],
      householdParticipated: true,
      ...data,
    },
    personal,
  }),
  reviewed: (reviewedOn: string, data: DataOf<'GoalReviewed'> = {}, personal: Of<'GoalReviewed'>['personal'] = {}): Of<'GoalReviewed'> => ({
    type: 'GoalReviewed',
    data: { reviewedOn, goalId: 'goal-rent', status: 'in_progress', householdView: 'partly', ...data },
    personal,
  }),
  detailsChanged: (
    household: Partial<Household>,
    changedOn = '2025-03-01',
    reason: DataOf<'HouseholdDetailsChanged'>['reason'] = 'moved',
  ): Of<'HouseholdDetailsChanged'> => ({
    type: 'HouseholdDetailsChanged',
    data: { changedOn, reason, changed: (['name', 'address', 'phone'] as const).filter((field) => household[field] !== undefined) },
    personal: { household },
  }),
  erased: (erasedOn: string): Of<'PersonalDataErased'> => ({ type: 'PersonalDataErased', data: { householdId: HOUSEHOLD_ID, erasedOn } }),
};

/** The recorded instant of an event in these tests: its business day, 09:30 UTC, one second per revision. */
export const recordedAtOf = (businessDate: string, revision: number): string =>
  `${businessDate}T09:30:${String(revision % 60).padStart(2, '0')}.000Z`;

export interface HistoryOptions {
  readonly caseId?: string;
  /** Global position of the first event; positions grow by `positionStep` (other streams write in between). */
  readonly firstPosition?: bigint;
  readonly positionStep?: bigint;
}

/**
 * A case stream's events as ProjectedEvents: revisions 0, 1, 2, …; positions increasing decimal
 * strings (beyond 2^53 if asked); businessDate from the event; recordedAt on that business day.
 */
export const projected = (events: readonly CaseEvent[], options: HistoryOptions = {}): ProjectedEvent[] => {
  const { caseId = CASE_ID, firstPosition = 1n, positionStep = 3n } = options;
  return events.map((event, revision) => {
    const businessDate = businessDateOfEvent(event);
    return {
      ...event,
      streamId: caseId,
      revision,
      position: String(firstPosition + BigInt(revision) * positionStep),
      recordedAt: recordedAtOf(businessDate, revision),
      businessDate,
    } as ProjectedEvent;
  });
};

/** A frozen copy: evolve must never change the document or event it was given. */
export const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
};

/** Folds the events as the runner would, one by one, from `start`; input documents and events are frozen. */
export const fold = <Doc>(projection: Projection<Doc>, events: readonly ProjectedEvent[], start: Doc | null = null): Doc | null =>
  events.reduce<Doc | null>((doc, event) => projection.evolve(deepFreeze(structuredClone(doc)), deepFreeze(structuredClone(event))), start);
