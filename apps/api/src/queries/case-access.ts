import { notFound, type DomainError } from '@wih/domain';
import { caseloadOf, type CaseDoc } from '@wih/projections';
import type { AuthenticatedUser } from '../auth/roles';

/**
 * Whether the user reads every case: the Fachstelle does. Decided on all the user's roles, not on
 * the one the guard picked (the first of the token's roles that the route allows), so a user who
 * is caseworker and Fachstelle reads the same whatever the order of the roles claim.
 */
export const readsEveryCase = (user: AuthenticatedUser): boolean => user.role !== 'caseworker' || user.roles.includes('fachstelle');

/**
 * Rule 6 for reads: the Fachstelle reads every case; a caseworker reads the cases assigned to
 * them and, before approval, the referrals they recorded. Evaluators and admins never get here
 * (the route's roles). Any other case is answered exactly like one that does not exist, so that a
 * caseworker cannot learn which cases exist outside their caseload.
 */
export function assertMayRead(user: AuthenticatedUser, doc: CaseDoc): void {
  if (readsEveryCase(user)) return;
  if (caseloadOf(doc) !== user.userId) throw caseNotFound(doc.caseId);
}

/** The commands' answer for an unknown case (404 `case-not-found`, the same detail), so that reads and commands agree (decision 0031). */
export const caseNotFound = (id: string): DomainError => notFound('case-not-found', `case ${id} does not exist`);
