import { ForbiddenException } from '@nestjs/common';
import type { CaseDoc } from '@wih/projections';
import type { AuthenticatedUser } from '../auth/roles';

/**
 * Rule 6 for reads: the Fachstelle reads every case; a caseworker reads the cases assigned to
 * them and, before approval, the referrals they recorded. Evaluators and admins never get here
 * (the route's roles).
 */
export function assertMayRead(user: AuthenticatedUser, doc: CaseDoc): void {
  if (user.role !== 'caseworker') return;
  const own = doc.status === 'referred' || doc.status === 'rejected' ? doc.recordedBy : doc.assignedCaseworkerId;
  if (own !== user.userId) throw new ForbiddenException('this case is not in your caseload');
}
