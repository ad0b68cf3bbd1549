import { Controller, ForbiddenException, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ReadModels } from '@wih/application';
import { businessDateOf } from '@wih/domain';
import { toCaseDetail, toCaseloadItem } from '@wih/projections';
import type { Response } from 'express';
import { AccessAudit } from '../access-log/access-audit';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { uuidParam } from '../http/validation';
import { assertMayRead, caseNotFound, readsEveryCase } from './case-access';
import { CaseloadQueryDto, ReadQueryDto } from './query.dto';

const today = () => businessDateOf(new Date());
const CASE_ID = uuidParam('id');

/**
 * The read side (API.md "Queries"): answers from the projections, never from the log. Every answer
 * with a case's personal data is recorded in the access log before it is sent (docs/access-log.md).
 */
@ApiTags('queries')
@ApiBearerAuth()
@Roles('caseworker', 'fachstelle')
@Controller('api')
export class QueriesController {
  constructor(private readonly models: ReadModels, private readonly audit: AccessAudit) {}

  @Get('cases/:id')
  async detail(@Param('id', CASE_ID) id: string, @Query() query: ReadQueryDto, @CurrentUser() user: AuthenticatedUser, @Res({ passthrough: true }) res: Response) {
    await this.wait('cases', query.minPosition);
    const doc = await this.caseDoc(id, user);
    const detail = toCaseDetail(doc, today());
    await this.audit.record(user, [id], 'detail');
    res.setHeader('ETag', `"${doc.revision}"`);
    return detail;
  }

  @Get('cases/:id/timeline')
  async timeline(@Param('id', CASE_ID) id: string, @Query() query: ReadQueryDto, @CurrentUser() user: AuthenticatedUser) {
    await this.wait('cases', query.minPosition);
    await this.wait('timeline', query.minPosition);
    await this.caseDoc(id, user);
    const timeline = await this.models.timeline(id);
    await this.audit.record(user, [id], 'timeline');
    return { caseId: id, items: timeline?.doc.items ?? [] };
  }

  @Get('caseload')
  async caseload(@Query() query: CaseloadQueryDto, @CurrentUser() user: AuthenticatedUser) {
    const everyCase = readsEveryCase(user);
    if (!everyCase && query.caseworkerId !== undefined && query.caseworkerId !== user.userId) {
      throw new ForbiddenException('caseworkers read only their own caseload');
    }
    await this.wait('cases', query.minPosition);
    const day = today();
    const page = await this.models.caseload({
      caseworkerId: everyCase ? query.caseworkerId : user.userId,
      status: query.status,
      overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
      q: query.q,
      sort: query.sort ?? 'nextVisitDueOn',
      cursor: query.cursor,
      limit: query.limit === undefined ? 50 : Number(query.limit),
      today: day,
    });
    const items = page.items.map((doc) => toCaseloadItem(doc, day));
    // One entry per case whose household name is in the answer (erased households show none).
    await this.audit.record(user, items.filter((item) => item.householdName !== null).map((item) => item.caseId), 'caseload');
    return { items, nextCursor: page.nextCursor };
  }

  private async wait(projection: string, minPosition: string | undefined): Promise<void> {
    if (minPosition !== undefined) await this.models.waitFor(projection, BigInt(minPosition));
  }

  private async caseDoc(id: string, user: AuthenticatedUser) {
    const stored = await this.models.case(id);
    if (!stored) throw caseNotFound(id);
    assertMayRead(user, stored.doc);
    return stored.doc;
  }
}
