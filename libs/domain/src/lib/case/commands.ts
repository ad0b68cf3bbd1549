import { CASE_COMMAND_ROLES } from '@wih/vocabulary';
import type { CommandContext } from '../decider';
import type { CalendarDate } from '../dates';
import type {
  CaseClosed,
  CaseworkerReassigned,
  GoalReviewed,
  HelpMediated,
  HelpPlanAgreed,
  HelpPeriodExtended,
  HomeVisitRecorded,
  HouseholdDetailsChanged,
  HousingSecured,
  PersonalDataErased,
  ProcessingRestricted,
  ReferralApproved,
  ReferralReceived,
  PlannedGoal,
  ReferralRejected,
} from './events';

type Command<Type extends string, Data> = {
  readonly type: Type;
  readonly caseId: string;
  readonly data: Data;
  readonly context: CommandContext;
};

type Personal<E> = E extends { personal: infer P } ? P : never;

/** previousCaseId comes from the household decision (rule 5), recordedBy from the context. */
export type ReceiveReferral = Command<
  'ReceiveReferral',
  Omit<ReferralReceived['data'], 'caseId' | 'recordedBy'> & Personal<ReferralReceived>
>;
export type ApproveReferral = Command<
  'ApproveReferral',
  Omit<ReferralApproved['data'], 'visitIntervalDays'> & { visitIntervalDays?: number }
>;
export type RejectReferral = Command<'RejectReferral', ReferralRejected['data'] & Personal<ReferralRejected>>;
export type RecordHomeVisit = Command<'RecordHomeVisit', HomeVisitRecorded['data'] & Personal<HomeVisitRecorded>>;
export type RecordMediation = Command<'RecordMediation', HelpMediated['data'] & Personal<HelpMediated>>;
export type RecordHousingSecured = Command<'RecordHousingSecured', HousingSecured['data']>;
export type ExtendHelpPeriod = Command<'ExtendHelpPeriod', Omit<HelpPeriodExtended['data'], 'extendedOn'>>;
export type ReassignCaseworker = Command<'ReassignCaseworker', Omit<CaseworkerReassigned['data'], 'reassignedOn'>>;
export type CloseCase = Command<'CloseCase', CaseClosed['data'] & Personal<CaseClosed>>;

/** A goal as agreed: its facts and its wording together; the decider splits them into data and personal part. */
export type AgreedGoal = PlannedGoal & { readonly wording: string };
export type AgreeHelpPlan = Command<
  'AgreeHelpPlan',
  Omit<HelpPlanAgreed['data'], 'goals'> & { goals: readonly AgreedGoal[]; notes?: string }
>;
export type ReviewGoal = Command<'ReviewGoal', GoalReviewed['data'] & Personal<GoalReviewed>>;

/** New contact details or a correction: any of name, address, phone (at least one); the decider lists which changed. */
export type ChangeHouseholdDetails = Command<
  'ChangeHouseholdDetails',
  Omit<HouseholdDetailsChanged['data'], 'changed'> & Personal<HouseholdDetailsChanged>
>;

/** Part of a household's restriction (and its lifting): issued for each of its cases. */
export type RestrictProcessing = Command<'RestrictProcessing', ProcessingRestricted['data']>;
export type LiftRestriction = Command<'LiftRestriction', { householdId: string }>;

/** Part of a household's erasure: issued for each of its cases (the business date is today). */
export type ErasePersonalData = Command<'ErasePersonalData', Omit<PersonalDataErased['data'], 'erasedOn'>>;

export type CaseCommand =
  | ReceiveReferral
  | ApproveReferral
  | RejectReferral
  | RecordHomeVisit
  | RecordMediation
  | RecordHousingSecured
  | ExtendHelpPeriod
  | ReassignCaseworker
  | CloseCase
  | AgreeHelpPlan
  | ReviewGoal
  | ChangeHouseholdDetails
  | RestrictProcessing
  | LiftRestriction
  | ErasePersonalData;

export type CaseCommandType = CaseCommand['type'];

/** What a restricted household's cases still accept (Art. 18(2) DSGVO: storage, and what ends or lifts it). */
export const ALLOWED_WHILE_RESTRICTED: ReadonlySet<CaseCommandType> = new Set<CaseCommandType>([
  'CloseCase',
  'ErasePersonalData',
  'RestrictProcessing',
  'LiftRestriction',
]);

/**
 * Rule 6, first half: which roles may issue each command. Written once, in the vocabulary the web
 * imports too (it offers only these actions); exactly the command types, checked both ways here.
 */
export const COMMAND_ROLES: Readonly<Record<CaseCommandType, readonly ('caseworker' | 'fachstelle' | 'admin')[]>> = CASE_COMMAND_ROLES;
// A role entry for a command that does not exist (renamed, removed) fails here.
const _noStrayRoles: Record<Exclude<keyof typeof CASE_COMMAND_ROLES, CaseCommandType>, never> = {};
void _noStrayRoles;

export type { CalendarDate };
