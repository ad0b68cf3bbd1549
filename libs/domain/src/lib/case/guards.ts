import type { CommandContext } from '../decider';
import { addMonths, type CalendarDate } from '../dates';
import { conflict, forbidden, notFound } from '../errors';
import { unknownCommand } from '../exhaustive';
import { COMMAND_ROLES, type CaseCommand } from './commands';
import type { CaseState, CaseStatus } from './state';

type In<S extends CaseStatus> = Extract<CaseState, { status: S }>;

/** Rule 1: a command acts only in the states of the lifecycle; the error names the current state. */
export function requireStatus<S extends CaseStatus>(state: CaseState, caseId: string, ...allowed: S[]): In<S> {
  if ((allowed as CaseStatus[]).includes(state.status)) return state as In<S>;
  if (state.status === 'none') throw notFound('case-not-found', `case ${caseId} does not exist`);
  throw conflict('invalid-state', `case is ${state.status}; this needs a case that is ${allowed.join(' or ')}`);
}

/**
 * Rule 6: the role may issue the command, and a caseworker acts only on their own cases. Another
 * caseworker's case is answered like a case that does not exist (same code, same message): to a
 * caseworker, whether a case outside their caseload exists is itself information about a household.
 */
export function requireActor(command: CaseCommand, state: CaseState): void {
  const { userId, role } = command.context.actor;
  const roles: readonly string[] | undefined = COMMAND_ROLES[command.type];
  if (roles === undefined) unknownCommand(command as never);
  if (!roles.includes(role)) {
    throw forbidden('role-not-allowed', `role ${role} may not ${command.type}`);
  }
  if (role !== 'caseworker' || state.status === 'none') return;
  const own = state.status === 'referred' || state.status === 'rejected' ? state.recordedBy : state.caseworkerId;
  if (own !== userId) throw notFound('case-not-found', `case ${command.caseId} does not exist`);
}

/**
 * After an erasure the household has no key any more: new personal data (notes) for the case
 * could not be protected, so a command carrying some is refused. The facts alone are accepted.
 */
export function requireNoPersonalAfterErasure(state: CaseState, notes: string | undefined): void {
  if (notes === undefined || state.status === 'none' || !state.personalDataErased) return;
  throw conflict('personal-data-erased', "the household's personal data was erased: record this without notes");
}

/** Rule 3: business dates are never in the future and never before `earliest`. */
export function requireDate(date: CalendarDate, context: CommandContext, earliest: CalendarDate, code: string, what: string): void {
  if (date > context.today) throw conflict('date-in-future', `${date} is in the future (today is ${context.today})`);
  if (date < earliest) throw conflict(code, `${date} is before ${what} (${earliest})`);
}

/*
 * Rule 3 (DOMAIN.md), the clauses within one case: a visit, mediation or housing-secured date lies
 * between approval and closing, and a closing is never dated before any business date already
 * recorded (`lastActivityOn`, kept by evolveCase). Taking the active case's state is the "before
 * closing" half: a closed case has none to give. The clause across cases (a referral not before
 * the household's previous closing) needs the household stream and is decided there
 * (household/household.ts). The web's forms check the approval bound too, only to spare a round trip.
 */

/** An activity's business date: not in the future, not before the approval, on an active case. */
export function requireActivityDate(help: In<'active'>, date: CalendarDate, context: CommandContext): void {
  requireDate(date, context, help.approvedOn, 'date-before-approval', 'the approval');
}

/** A closing date: not in the future, not before the approval or any business date recorded since. */
export function requireClosingDate(help: In<'active'>, closedOn: CalendarDate, context: CommandContext): void {
  requireDate(
    closedOn,
    context,
    help.lastActivityOn,
    'date-before-last-activity',
    'the approval or the latest business date recorded on the case',
  );
}

/** Rule 2: the planned end lies after `from` and at most `months` calendar months after `base`. */
export function requirePlannedEnd(plannedEndOn: CalendarDate, from: CalendarDate, base: CalendarDate, months: number, code: string): void {
  const latest = addMonths(base, months);
  if (plannedEndOn <= from) throw conflict(code, `planned end ${plannedEndOn} must be after ${from}`);
  if (plannedEndOn > latest) throw conflict(code, `planned end ${plannedEndOn} is after ${latest} (${months} months after ${base})`);
}
