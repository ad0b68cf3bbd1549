import { Injectable } from '@nestjs/common';
import { AccessLogUnavailableError, type AccessAction, type AccessLog } from '@wih/access-log';
import { randomUUID } from 'node:crypto';
import type { AuthenticatedUser } from '../auth/roles';
import { InjectAccessLog } from './access-log.token';

/**
 * Records reads of personal data before the answer leaves (fail closed): when the entry cannot be
 * written the read fails with 503 `access-log-unavailable`, so no personal data is ever sent
 * without its entry. The entry names the user, their role, the case and the kind of read; never
 * what was shown or searched for.
 */
@Injectable()
export class AccessAudit {
  constructor(@InjectAccessLog() private readonly log: AccessLog) {}

  async record(user: AuthenticatedUser, caseIds: readonly string[], action: AccessAction): Promise<void> {
    if (caseIds.length === 0) return;
    const at = new Date().toISOString();
    const entries = caseIds.map((caseId) => ({ id: randomUUID(), at, userId: user.userId, role: user.role, caseId, action }));
    try {
      await this.log.append(entries);
    } catch (error) {
      throw error instanceof AccessLogUnavailableError
        ? error
        : new AccessLogUnavailableError('the access log could not be written', { cause: error });
    }
  }
}
