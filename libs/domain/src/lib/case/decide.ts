import type { Decider } from '../decider';
import { conflict, invalid, notFound } from '../errors';
import { unknownCommand } from '../exhaustive';
import type {
  AgreeHelpPlan,
  ApproveReferral,
  CaseCommand,
  ChangeHouseholdDetails,
  CloseCase,
  ErasePersonalData,
  ExtendHelpPeriod,
  LiftRestriction,
  ReassignCaseworker,
  ReceiveReferral,
  RecordHomeVisit,
  RecordHousingSecured,
  RecordMediation,
  RejectReferral,
  RestrictProcessing,
  ReviewGoal,
} from './commands';
import { ALLOWED_WHILE_RESTRICTED } from './commands';
import type { CaseEvent } from './events';
import {
  requireActivityDate,
  requireActor,
  requireClosingDate,
  requireDate,
  requireNoPersonalAfterErasure,
  requirePlannedEnd,
  requireStatus,
} from './guards';
import { evolveCase, initialCaseState, type CaseState } from './state';
import { HELP_PERIOD_MONTHS, HELP_PLAN, HOUSEHOLD_DETAIL_FIELDS, VISIT_INTERVAL } from './vocabulary';

const { initial, perExtension, extensionsInAll, fromApproval } = HELP_PERIOD_MONTHS;

/** Decides a case command: rule 6 for every command, then the command's own rules and its events. Throws DomainError when refused. */
export function decideCase(command: CaseCommand, state: CaseState): CaseEvent[] {
  requireActor(command, state);
  requireUnrestricted(command, state);
  switch (command.type) {
    case 'ReceiveReferral':
      return receiveReferral(command, state);
    case 'ApproveReferral':
      return approveReferral(command, state);
    case 'RejectReferral':
      return rejectReferral(command, state);
    case 'RecordHomeVisit':
      return recordHomeVisit(command, state);
    case 'RecordMediation':
      return recordMediation(command, state);
    case 'RecordHousingSecured':
      return recordHousingSecured(command, state);
    case 'ExtendHelpPeriod':
      return extendHelpPeriod(command, state);
    case 'ReassignCaseworker':
      return reassignCaseworker(command, state);
    case 'CloseCase':
      return closeCase(command, state);
    case 'AgreeHelpPlan':
      return agreeHelpPlan(command, state);
    case 'ReviewGoal':
      return reviewGoal(command, state);
    case 'ChangeHouseholdDetails':
      return changeHouseholdDetails(command, state);
    case 'RestrictProcessing':
      return restrictProcessing(command, state);
    case 'LiftRestriction':
      return liftRestriction(command, state);
    case 'ErasePersonalData':
      return erasePersonalData(command, state);
    default:
      return unknownCommand(command);
  }
}

export const caseDecider: Decider<CaseState, CaseCommand, CaseEvent> = {
  decide: decideCase,
  evolve: evolveCase,
  initialState: initialCaseState,
};

/** Notes are the only personal part of these events: absent notes give an empty one. */
const notesOf = (notes: string | undefined) => (notes === undefined ? {} : { notes });

function receiveReferral({ caseId, context, data: command }: ReceiveReferral, state: CaseState): CaseEvent[] {
  if (state.status !== 'none') throw conflict('invalid-state', `case ${caseId} already exists (${state.status})`);
  const { household, notes, ...data } = command;
  requireDate(data.receivedOn, context, data.receivedOn, 'date-before-referral', 'the referral');
  const personal = notes === undefined ? { household } : { household, notes };
  return [{ type: 'ReferralReceived', data: { ...data, caseId, recordedBy: context.actor.userId }, personal }];
}

function approveReferral({ caseId, context, data }: ApproveReferral, state: CaseState): CaseEvent[] {
  const referral = requireStatus(state, caseId, 'referred');
  const { approvedOn, plannedEndOn, assignedCaseworkerId } = data;
  const visitIntervalDays = data.visitIntervalDays ?? VISIT_INTERVAL.default;
  if (!referral.consentGiven) throw conflict('consent-missing', 'the household has not consented: help is voluntary');
  if (referral.existingAid.length > 0) {
    throw conflict('comparable-aid-installed', `comparable aid is installed: ${referral.existingAid.join(', ')}`);
  }
  // Whole days only: NaN fails both comparisons and a fraction would shift due dates by part of a day.
  if (!Number.isInteger(visitIntervalDays) || visitIntervalDays < VISIT_INTERVAL.min || visitIntervalDays > VISIT_INTERVAL.max) {
    throw conflict(
      'visit-interval-out-of-range',
      `visit interval must be a whole number of days, ${VISIT_INTERVAL.min}–${VISIT_INTERVAL.max}`,
    );
  }
  requireDate(approvedOn, context, referral.receivedOn, 'date-before-referral', 'the referral');
  requirePlannedEnd(plannedEndOn, approvedOn, approvedOn, initial, 'planned-end-out-of-range');
  return [{ type: 'ReferralApproved', data: { approvedOn, assignedCaseworkerId, visitIntervalDays, plannedEndOn } }];
}

function rejectReferral({ caseId, context, data: command }: RejectReferral, state: CaseState): CaseEvent[] {
  const referral = requireStatus(state, caseId, 'referred');
  const { notes, ...data } = command;
  requireDate(data.rejectedOn, context, referral.receivedOn, 'date-before-referral', 'the referral');
  requireNoPersonalAfterErasure(state, notes);
  return [{ type: 'ReferralRejected', data, personal: notesOf(notes) }];
}

function recordHomeVisit({ caseId, context, data: command }: RecordHomeVisit, state: CaseState): CaseEvent[] {
  const help = requireStatus(state, caseId, 'active');
  const { notes, ...data } = command;
  requireActivityDate(help, data.visitedOn, context);
  requireNoPersonalAfterErasure(state, notes);
  return [{ type: 'HomeVisitRecorded', data, personal: notesOf(notes) }];
}

function recordMediation({ caseId, context, data: command }: RecordMediation, state: CaseState): CaseEvent[] {
  const help = requireStatus(state, caseId, 'active');
  const { notes, ...data } = command;
  requireActivityDate(help, data.mediatedOn, context);
  requireNoPersonalAfterErasure(state, notes);
  return [{ type: 'HelpMediated', data, personal: notesOf(notes) }];
}

function recordHousingSecured({ caseId, context, data }: RecordHousingSecured, state: CaseState): CaseEvent[] {
  const help = requireStatus(state, caseId, 'active');
  if (help.housingSecured) throw conflict('housing-already-secured', 'housing was already secured for this case');
  requireActivityDate(help, data.securedOn, context);
  return [{ type: 'HousingSecured', data }];
}

function extendHelpPeriod({ caseId, context, data }: ExtendHelpPeriod, state: CaseState): CaseEvent[] {
  const help = requireStatus(state, caseId, 'active');
  const { plannedEndOn, reason } = data;
  // Later than the current end (a shorter help is a closing), ≤ 12 months beyond it, ≤ 24 months
  // beyond the end set at approval, and never beyond 36 months after approval: the approval's own
  // limit implies the last, which still holds for an approval recorded under another limit.
  requirePlannedEnd(plannedEndOn, help.plannedEndOn, help.plannedEndOn, perExtension, 'extension-out-of-range');
  requirePlannedEnd(plannedEndOn, help.plannedEndOn, help.originalPlannedEndOn, extensionsInAll, 'extension-out-of-range');
  requirePlannedEnd(plannedEndOn, help.plannedEndOn, help.approvedOn, fromApproval, 'extension-out-of-range');
  return [{ type: 'HelpPeriodExtended', data: { extendedOn: context.today, plannedEndOn, reason } }];
}

function reassignCaseworker({ caseId, context, data }: ReassignCaseworker, state: CaseState): CaseEvent[] {
  const help = requireStatus(state, caseId, 'active');
  const { caseworkerId } = data;
  if (help.caseworkerId === caseworkerId) throw conflict('already-assigned', `the case is already assigned to ${caseworkerId}`);
  return [{ type: 'CaseworkerReassigned', data: { reassignedOn: context.today, caseworkerId } }];
}

function closeCase({ caseId, context, data: command }: CloseCase, state: CaseState): CaseEvent[] {
  const help = requireStatus(state, caseId, 'active');
  const { notes, ...data } = command;
  requireClosingDate(help, data.closedOn, context);
  if (data.reason === 'goal_achieved' && !help.housingSecured) {
    throw conflict('goal-needs-housing-secured', 'goal_achieved needs housing secured first');
  }
  requireNoPersonalAfterErasure(state, notes);
  return [{ type: 'CaseClosed', data, personal: notesOf(notes) }];
}

/**
 * A help plan (decision 0023): on an active case, dated like any activity and not before the plan
 * it replaces; 1–20 goals with ids of their own (never a settled goal's), each reviewed on or after
 * the agreement. The edge checks the count and the wording's length too; this holds for every caller.
 */
function agreeHelpPlan({ caseId, context, data: command }: AgreeHelpPlan, state: CaseState): CaseEvent[] {
  const help = requireStatus(state, caseId, 'active');
  const { agreedOn, householdParticipated, goals, notes } = command;
  requireActivityDate(help, agreedOn, context);
  if (help.helpPlan !== null && agreedOn < help.helpPlan.agreedOn) {
    throw conflict('date-before-help-plan', `${agreedOn} is before the current help plan (${help.helpPlan.agreedOn})`);
  }
  if (goals.length < HELP_PLAN.minGoals || goals.length > HELP_PLAN.maxGoals) {
    throw conflict('goal-count-out-of-range', `a help plan has ${HELP_PLAN.minGoals}–${HELP_PLAN.maxGoals} goals`);
  }
  const ids = new Set<string>();
  for (const { goalId, reviewOn } of goals) {
    if (ids.has(goalId)) throw conflict('duplicate-goal-id', `goal ${goalId} appears twice in the plan`);
    ids.add(goalId);
    if (help.helpPlan?.goals.some((goal) => goal.goalId === goalId && goal.settled)) {
      throw conflict('goal-settled', `goal ${goalId} is settled: a new goal needs a new id`);
    }
    if (reviewOn < agreedOn) throw conflict('review-before-agreement', `goal ${goalId} is to be reviewed before the plan (${agreedOn})`);
  }
  // The wording is personal data: after an erasure there is no key to protect it with.
  if (help.personalDataErased) throw conflict('personal-data-erased', "the household's personal data was erased: no plan can be recorded");
  const wording = Object.fromEntries(goals.map((goal) => [goal.goalId, goal.wording]));
  return [
    {
      type: 'HelpPlanAgreed',
      data: {
        agreedOn,
        goals: goals.map(({ goalId, area, actor, reviewOn }) => ({ goalId, area, actor, reviewOn })),
        householdParticipated,
      },
      personal: { wording, ...notesOf(notes) },
    },
  ];
}

/** A goal review: of a goal the plans hold and that is not settled, dated like any activity and not before its plan. */
function reviewGoal({ caseId, context, data: command }: ReviewGoal, state: CaseState): CaseEvent[] {
  const help = requireStatus(state, caseId, 'active');
  const { notes, ...data } = command;
  requireActivityDate(help, data.reviewedOn, context);
  if (help.helpPlan === null) throw conflict('no-help-plan', 'the case has no help plan: agree one before reviewing goals');
  const goal = help.helpPlan.goals.find((candidate) => candidate.goalId === data.goalId);
  if (goal === undefined) throw conflict('unknown-goal', `the help plan has no goal ${data.goalId}`);
  if (goal.settled) throw conflict('goal-settled', `goal ${data.goalId} is achieved or dropped: it is not reviewed again`);
  if (data.reviewedOn < goal.agreedOn) {
    throw conflict('date-before-help-plan', `${data.reviewedOn} is before the plan that holds the goal (${goal.agreedOn})`);
  }
  requireNoPersonalAfterErasure(state, notes);
  return [{ type: 'GoalReviewed', data, personal: notesOf(notes) }];
}

/**
 * New or corrected contact details (decision 0030), on the household's open case or its latest one:
 * a referred or active case takes any reason; a rejected or closed case only a correction, and only
 * while no later case of the household exists (that one holds the current details). Dated from the
 * referral on, never in the future; after an erasure there is no key to protect new details with.
 */
function changeHouseholdDetails({ caseId, context, data: command }: ChangeHouseholdDetails, state: CaseState): CaseEvent[] {
  const current = requireStatus(state, caseId, 'referred', 'active', 'rejected', 'closed');
  const { changedOn, reason, household } = command;
  const changed = HOUSEHOLD_DETAIL_FIELDS.filter((field) => household[field] !== undefined);
  if (changed.length === 0) throw invalid('validation', 'name, address or phone: at least one is needed');
  if (current.status === 'rejected' || current.status === 'closed') {
    if (reason !== 'correction') throw conflict('invalid-state', `case is ${current.status}; only a correction may be recorded on it`);
    if (context.household === undefined) throw new Error("a change on an ended case needs the household's standing");
    if (context.household.latestCaseId !== caseId) {
      throw conflict('not-latest-case', 'the household has a later case: its details are changed there');
    }
  }
  requireDate(changedOn, context, current.receivedOn, 'date-before-referral', 'the referral');
  if (current.personalDataErased)
    throw conflict('personal-data-erased', "the household's personal data was erased: no details can be recorded");
  const personal = Object.fromEntries(changed.map((field) => [field, household[field]]));
  return [{ type: 'HouseholdDetailsChanged', data: { changedOn, reason, changed }, personal: { household: personal } }];
}

/** While processing is restricted, only closing, erasure and the restriction itself are accepted (decision 0030). */
function requireUnrestricted(command: CaseCommand, state: CaseState): void {
  if (state.status === 'none' || !state.restricted || ALLOWED_WHILE_RESTRICTED.has(command.type)) return;
  throw conflict('processing-restricted', "processing of the household's data is restricted: only closing or erasure is possible");
}

/** Marks a case of a restricted household (any state); marked once, it appends nothing again, so a re-run completes a restriction. */
function restrictProcessing({ caseId, data }: RestrictProcessing, state: CaseState): CaseEvent[] {
  if (state.status === 'none') throw notFound('case-not-found', `case ${caseId} does not exist`);
  if (state.householdId !== data.householdId) throw conflict('household-mismatch', `case ${caseId} belongs to another household`);
  return state.restricted ? [] : [{ type: 'ProcessingRestricted', data }];
}

function liftRestriction({ caseId, context, data }: LiftRestriction, state: CaseState): CaseEvent[] {
  if (state.status === 'none') throw notFound('case-not-found', `case ${caseId} does not exist`);
  if (state.householdId !== data.householdId) throw conflict('household-mismatch', `case ${caseId} belongs to another household`);
  return state.restricted ? [{ type: 'RestrictionLifted', data: { householdId: data.householdId, liftedOn: context.today } }] : [];
}

function erasePersonalData({ caseId, context, data }: ErasePersonalData, state: CaseState): CaseEvent[] {
  // Any state (rule 1 names none): an erasure changes no fact. Erased once, it appends nothing again.
  if (state.status === 'none') throw notFound('case-not-found', `case ${caseId} does not exist`);
  if (state.householdId !== data.householdId) throw conflict('household-mismatch', `case ${caseId} belongs to another household`);
  if (state.personalDataErased) return [];
  return [{ type: 'PersonalDataErased', data: { householdId: state.householdId, erasedOn: context.today } }];
}
