import type { Decider } from '../decider';
import { conflict, notFound } from '../errors';
import { unknownCommand } from '../exhaustive';
import type { CaseCommand } from './commands';
import type { CaseEvent } from './events';
import { requireActor, requireDate, requireNoPersonalAfterErasure, requirePlannedEnd, requireStatus } from './guards';
import { evolveCase, initialCaseState, type CaseState } from './state';
import { HELP_PERIOD_MONTHS, VISIT_INTERVAL } from './vocabulary';

const { initial, perExtension, extensionsInAll, fromApproval } = HELP_PERIOD_MONTHS;

/** Decides a case command: a guard per rule, then the event. Throws DomainError when refused. */
export function decideCase(command: CaseCommand, state: CaseState): CaseEvent[] {
  requireActor(command, state);
  const { context, caseId } = command;
  switch (command.type) {
    case 'ReceiveReferral': {
      if (state.status !== 'none') throw conflict('invalid-state', `case ${caseId} already exists (${state.status})`);
      const { household, notes, ...data } = command.data;
      requireDate(data.receivedOn, context, data.receivedOn, 'date-before-referral', 'the referral');
      const personal = notes === undefined ? { household } : { household, notes };
      return [{ type: 'ReferralReceived', data: { ...data, caseId, recordedBy: context.actor.userId }, personal }];
    }
    case 'ApproveReferral': {
      const referral = requireStatus(state, caseId, 'referred');
      const { approvedOn, plannedEndOn, assignedCaseworkerId } = command.data;
      const visitIntervalDays = command.data.visitIntervalDays ?? VISIT_INTERVAL.default;
      if (!referral.consentGiven) throw conflict('consent-missing', 'the household has not consented: help is voluntary');
      if (referral.existingAid.length > 0) {
        throw conflict('comparable-aid-installed', `comparable aid is installed: ${referral.existingAid.join(', ')}`);
      }
      // Whole days only: NaN fails both comparisons and a fraction would shift due dates by part of a day.
      if (!Number.isInteger(visitIntervalDays) || visitIntervalDays < VISIT_INTERVAL.min || visitIntervalDays > VISIT_INTERVAL.max) {
        throw conflict('visit-interval-out-of-range', `visit interval must be a whole number of days, ${VISIT_INTERVAL.min}–${VISIT_INTERVAL.max}`);
      }
      requireDate(approvedOn, context, referral.receivedOn, 'date-before-referral', 'the referral');
      requirePlannedEnd(plannedEndOn, approvedOn, approvedOn, initial, 'planned-end-out-of-range');
      return [{ type: 'ReferralApproved', data: { approvedOn, assignedCaseworkerId, visitIntervalDays, plannedEndOn } }];
    }
    case 'RejectReferral': {
      const referral = requireStatus(state, caseId, 'referred');
      const { notes, ...data } = command.data;
      requireDate(data.rejectedOn, context, referral.receivedOn, 'date-before-referral', 'the referral');
      requireNoPersonalAfterErasure(state, notes);
      return [{ type: 'ReferralRejected', data, personal: notes === undefined ? {} : { notes } }];
    }
    case 'RecordHomeVisit': {
      const help = requireStatus(state, caseId, 'active');
      const { notes, ...data } = command.data;
      requireDate(data.visitedOn, context, help.approvedOn, 'date-before-approval', 'the approval');
      requireNoPersonalAfterErasure(state, notes);
      return [{ type: 'HomeVisitRecorded', data, personal: notes === undefined ? {} : { notes } }];
    }
    case 'RecordMediation': {
      const help = requireStatus(state, caseId, 'active');
      const { notes, ...data } = command.data;
      requireDate(data.mediatedOn, context, help.approvedOn, 'date-before-approval', 'the approval');
      requireNoPersonalAfterErasure(state, notes);
      return [{ type: 'HelpMediated', data, personal: notes === undefined ? {} : { notes } }];
    }
    case 'RecordHousingSecured': {
      const help = requireStatus(state, caseId, 'active');
      if (help.housingSecured) throw conflict('housing-already-secured', 'housing was already secured for this case');
      requireDate(command.data.securedOn, context, help.approvedOn, 'date-before-approval', 'the approval');
      return [{ type: 'HousingSecured', data: command.data }];
    }
    case 'ExtendHelpPeriod': {
      const help = requireStatus(state, caseId, 'active');
      const { plannedEndOn, reason } = command.data;
      // Later than the current end (a shorter help is a closing), ≤ 12 months beyond it, ≤ 24 months
      // beyond the end set at approval, and never beyond 36 months after approval: the approval's own
      // limit implies the last, which still holds for an approval recorded under another limit.
      requirePlannedEnd(plannedEndOn, help.plannedEndOn, help.plannedEndOn, perExtension, 'extension-out-of-range');
      requirePlannedEnd(plannedEndOn, help.plannedEndOn, help.originalPlannedEndOn, extensionsInAll, 'extension-out-of-range');
      requirePlannedEnd(plannedEndOn, help.plannedEndOn, help.approvedOn, fromApproval, 'extension-out-of-range');
      return [{ type: 'HelpPeriodExtended', data: { extendedOn: context.today, plannedEndOn, reason } }];
    }
    case 'ReassignCaseworker': {
      const help = requireStatus(state, caseId, 'active');
      const { caseworkerId } = command.data;
      if (help.caseworkerId === caseworkerId) throw conflict('already-assigned', `the case is already assigned to ${caseworkerId}`);
      return [{ type: 'CaseworkerReassigned', data: { reassignedOn: context.today, caseworkerId } }];
    }
    case 'CloseCase': {
      const help = requireStatus(state, caseId, 'active');
      const { notes, ...data } = command.data;
      requireDate(data.closedOn, context, help.lastActivityOn, 'date-before-last-activity', 'the approval or the latest business date recorded on the case');
      if (data.reason === 'goal_achieved' && !help.housingSecured) {
        throw conflict('goal-needs-housing-secured', 'goal_achieved needs housing secured first');
      }
      requireNoPersonalAfterErasure(state, notes);
      return [{ type: 'CaseClosed', data, personal: notes === undefined ? {} : { notes } }];
    }
    case 'ErasePersonalData': {
      // Any state (rule 1 names none): an erasure changes no fact. Erased once, it appends nothing again.
      if (state.status === 'none') throw notFound('case-not-found', `case ${caseId} does not exist`);
      if (state.householdId !== command.data.householdId) {
        throw conflict('household-mismatch', `case ${caseId} belongs to another household`);
      }
      if (state.personalDataErased) return [];
      return [{ type: 'PersonalDataErased', data: { householdId: state.householdId, erasedOn: context.today } }];
    }
    default:
      return unknownCommand(command);
  }
}

export const caseDecider: Decider<CaseState, CaseCommand, CaseEvent> = {
  decide: decideCase,
  evolve: evolveCase,
  initialState: initialCaseState,
};
