import type { CommandContext, Role } from '../decider';
import type { CaseCommand, CaseCommandType } from '../case/commands';
import type {
  CaseClosed,
  CaseEvent,
  CaseworkerReassigned,
  GoalReviewed,
  HelpMediated,
  HelpPlanAgreed,
  HelpPeriodExtended,
  HomeVisitRecorded,
  Household,
  HousingSecured,
  ReferralApproved,
  ReferralReceived,
  ReferralRejected,
} from '../case/events';
import type { CaseStatus } from '../case/state';

/** Test data for the case decider: one household, one case, a fixed "today". Test-only. */
export const CASE_ID = 'case-0001';
export const HOUSEHOLD_ID = 'household-0001';
export const TODAY = '2025-06-15';
export const RECEIVED_ON = '2025-01-10';
export const APPROVED_ON = '2025-01-20';
export const PLANNED_END_ON = '2026-01-20';

export const ANNA = 'user-anna'; // caseworker who records the referral and is assigned at approval
export const BEN = 'user-ben'; // another caseworker
export const FIONA = 'user-fiona'; // Fachstelle Wohnen

export const as = (role: Role, userId: string, today = TODAY): CommandContext => ({
  actor: { role, userId },
  today,
  now: `${today}T09:30:00.000Z`,
});
export const ctx = {
  anna: as('caseworker', ANNA),
  ben: as('caseworker', BEN),
  fachstelle: as('fachstelle', FIONA),
  evaluator: as('evaluator', 'user-eva'),
  admin: as('admin', 'user-adam'),
};

export const HOUSEHOLD: Household = { name: 'Familie Yilmaz', address: 'Venloer Str. 12, 50672 Köln', phone: '0221 555 0101' };
export const NOTES = 'Vermieter droht mit Räumungsklage, Tochter krank';

const REFERRAL = {
  householdId: HOUSEHOLD_ID,
  receivedOn: RECEIVED_ON,
  referralSource: 'social_office',
  targetGroup: 'recommitted',
  housingSituation: 'seized_flat',
  threatCauses: ['rent_arrears', 'eviction_suit'],
  adults: 2,
  children: 1,
  existingAid: [],
  consentGiven: true,
  previousCaseId: null,
} as const satisfies Omit<ReferralReceived['data'], 'caseId' | 'recordedBy'>;

// ---- events -------------------------------------------------------------------------------

export const referralReceived = (
  data: Partial<ReferralReceived['data']> = {},
  personal: ReferralReceived['personal'] = { household: HOUSEHOLD },
): ReferralReceived => ({ type: 'ReferralReceived', data: { caseId: CASE_ID, ...REFERRAL, recordedBy: ANNA, ...data }, personal });

export const referralApproved = (data: Partial<ReferralApproved['data']> = {}): ReferralApproved => ({
  type: 'ReferralApproved',
  data: { approvedOn: APPROVED_ON, assignedCaseworkerId: ANNA, visitIntervalDays: 28, plannedEndOn: PLANNED_END_ON, ...data },
});
export const referralRejected = (
  data: Partial<ReferralRejected['data']> = {},
  personal: ReferralRejected['personal'] = {},
): ReferralRejected => ({
  type: 'ReferralRejected',
  data: { rejectedOn: '2025-01-20', reason: 'not_target_group', ...data },
  personal,
});
export const homeVisitRecorded = (visitedOn: string, personal: HomeVisitRecorded['personal'] = {}): HomeVisitRecorded => ({
  type: 'HomeVisitRecorded',
  data: { visitedOn, householdMet: true, concerns: ['tenancy'] },
  personal,
});
export const helpMediated = (mediatedOn: string, personal: HelpMediated['personal'] = {}): HelpMediated => ({
  type: 'HelpMediated',
  data: { mediatedOn, kind: 'landlord', institutionKind: 'housing_company' },
  personal,
});
export const housingSecured = (securedOn: string): HousingSecured => ({
  type: 'HousingSecured',
  data: { securedOn, outcome: 'tenancy_preserved' },
});
export const helpPeriodExtended = (plannedEndOn: string, extendedOn = TODAY): HelpPeriodExtended => ({
  type: 'HelpPeriodExtended',
  data: { extendedOn, plannedEndOn, reason: 'housing_search_ongoing' },
});
export const caseworkerReassigned = (caseworkerId: string, reassignedOn = TODAY): CaseworkerReassigned => ({
  type: 'CaseworkerReassigned',
  data: { reassignedOn, caseworkerId },
});
export const caseClosed = (data: Partial<CaseClosed['data']> = {}, personal: CaseClosed['personal'] = {}): CaseClosed => ({
  type: 'CaseClosed',
  data: { closedOn: '2025-05-01', reason: 'time_limit_reached', housingAtClose: 'committed_housing', ...data },
  personal,
});

export const GOAL_RENT = 'goal-rent';
export const GOAL_JOBCENTER = 'goal-jobcenter';
export const AGREED_ON = '2025-02-01';
export const WORDING: Readonly<Record<string, string>> = {
  [GOAL_RENT]: 'Mietrückstand bei der GAG in Raten abbauen',
  [GOAL_JOBCENTER]: 'Weiterbewilligungsantrag beim Jobcenter stellen',
};
const GOALS: HelpPlanAgreed['data']['goals'] = [
  { goalId: GOAL_RENT, area: 'rent_and_debts', actor: 'together', reviewOn: '2025-03-01' },
  { goalId: GOAL_JOBCENTER, area: 'income_and_benefits', actor: 'household', reviewOn: '2025-04-01' },
];

/** A plan with two goals (rent arrears together, the Jobcenter application by the household itself). */
export const helpPlanAgreed = (
  data: Partial<HelpPlanAgreed['data']> = {},
  personal: HelpPlanAgreed['personal'] = { wording: WORDING },
): HelpPlanAgreed => ({
  type: 'HelpPlanAgreed',
  data: { agreedOn: AGREED_ON, goals: GOALS, householdParticipated: true, ...data },
  personal,
});
export const goalReviewed = (
  reviewedOn: string,
  data: Partial<GoalReviewed['data']> = {},
  personal: GoalReviewed['personal'] = {},
): GoalReviewed => ({
  type: 'GoalReviewed',
  data: { reviewedOn, goalId: GOAL_RENT, status: 'in_progress', householdView: 'partly', ...data },
  personal,
});

/** A history that leaves the case in each state: referred by Anna, approved for Anna. */
export const history: Record<CaseStatus, readonly CaseEvent[]> = {
  none: [],
  referred: [referralReceived()],
  active: [referralReceived(), referralApproved()],
  rejected: [referralReceived(), referralRejected()],
  closed: [referralReceived(), referralApproved(), caseClosed()],
};
export const STATUSES = Object.keys(history) as CaseStatus[];

// ---- commands -----------------------------------------------------------------------------

type CommandOf<T extends CaseCommandType> = Extract<CaseCommand, { type: T }>;
const command = <T extends CaseCommandType>(type: T, data: CommandOf<T>['data'], context: CommandContext): CommandOf<T> =>
  ({ type, caseId: CASE_ID, data, context }) as CommandOf<T>;

export const receiveReferral = (data: Partial<CommandOf<'ReceiveReferral'>['data']> = {}, context = ctx.anna) =>
  command('ReceiveReferral', { ...REFERRAL, household: HOUSEHOLD, ...data }, context);
export const approveReferral = (data: Partial<CommandOf<'ApproveReferral'>['data']> = {}, context = ctx.fachstelle) =>
  command('ApproveReferral', { approvedOn: APPROVED_ON, assignedCaseworkerId: ANNA, plannedEndOn: PLANNED_END_ON, ...data }, context);
export const rejectReferral = (data: Partial<CommandOf<'RejectReferral'>['data']> = {}, context = ctx.fachstelle) =>
  command('RejectReferral', { rejectedOn: '2025-01-20', reason: 'not_target_group', ...data }, context);
export const recordHomeVisit = (data: Partial<CommandOf<'RecordHomeVisit'>['data']> = {}, context = ctx.anna) =>
  command('RecordHomeVisit', { visitedOn: '2025-06-01', householdMet: true, concerns: ['tenancy'], ...data }, context);
export const recordMediation = (data: Partial<CommandOf<'RecordMediation'>['data']> = {}, context = ctx.anna) =>
  command('RecordMediation', { mediatedOn: '2025-06-02', kind: 'landlord', institutionKind: 'housing_company', ...data }, context);
export const recordHousingSecured = (data: Partial<CommandOf<'RecordHousingSecured'>['data']> = {}, context = ctx.anna) =>
  command('RecordHousingSecured', { securedOn: '2025-06-03', outcome: 'tenancy_preserved', ...data }, context);
export const extendHelpPeriod = (data: Partial<CommandOf<'ExtendHelpPeriod'>['data']> = {}, context = ctx.fachstelle) =>
  command('ExtendHelpPeriod', { plannedEndOn: '2026-07-20', reason: 'housing_search_ongoing', ...data }, context);
export const reassignCaseworker = (data: Partial<CommandOf<'ReassignCaseworker'>['data']> = {}, context = ctx.fachstelle) =>
  command('ReassignCaseworker', { caseworkerId: BEN, ...data }, context);
export const closeCase = (data: Partial<CommandOf<'CloseCase'>['data']> = {}, context = ctx.anna) =>
  command('CloseCase', { closedOn: '2025-06-10', reason: 'time_limit_reached', housingAtClose: 'committed_housing', ...data }, context);
/** The command that records helpPlanAgreed(): the goals with their wording. */
export const agreeHelpPlan = (data: Partial<CommandOf<'AgreeHelpPlan'>['data']> = {}, context = ctx.anna) =>
  command(
    'AgreeHelpPlan',
    { agreedOn: AGREED_ON, householdParticipated: true, goals: GOALS.map((goal) => ({ ...goal, wording: WORDING[goal.goalId] })), ...data },
    context,
  );
export const reviewGoal = (data: Partial<CommandOf<'ReviewGoal'>['data']> = {}, context = ctx.anna) =>
  command('ReviewGoal', { reviewedOn: '2025-03-01', goalId: GOAL_RENT, status: 'in_progress', householdView: 'partly', ...data }, context);
/** A move on the household's only case (the latest); the context says what the household stream holds. */
export const changeHouseholdDetails = (
  data: Partial<CommandOf<'ChangeHouseholdDetails'>['data']> = {},
  context: CommandContext = { ...ctx.anna, household: { latestCaseId: CASE_ID } },
) =>
  command(
    'ChangeHouseholdDetails',
    { changedOn: '2025-06-01', reason: 'moved', household: { address: 'Neusser Str. 40, 50670 Köln' }, ...data },
    context,
  );
export const householdDetailsChanged = (
  household: Partial<Household> = { address: 'Neusser Str. 40, 50670 Köln' },
  changedOn = '2025-06-01',
): CaseEvent => ({
  type: 'HouseholdDetailsChanged',
  data: { changedOn, reason: 'moved', changed: (['name', 'address', 'phone'] as const).filter((field) => household[field] !== undefined) },
  personal: { household },
});
