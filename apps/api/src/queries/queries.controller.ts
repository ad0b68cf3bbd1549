import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ReadModels } from '@wih/application';
import { businessDateOf } from '@wih/domain';
import { toCaseDetail, toCaseloadItem, withoutPersonalDetail, withoutPersonalEntries, withoutPersonalItem } from '@wih/projections';
import type { Response } from 'express';
import { AccessAudit } from '../access-log/access-audit';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { answerRef } from '../http/openapi/answers';
import { ETAG } from '../http/openapi/headers';
import { ApiQueryProblems, ApiRoute } from '../http/openapi/problems';
import { uuidParam } from '../http/validation';
import { assertMayRead, caseNotFound, readsEveryCase } from './case-access';
import { CaseloadQueryDto, CaseloadSearchDto, ReadQueryDto } from './query.dto';

const today = () => businessDateOf(new Date());
/** Whether the case's personal data is withheld from this reader: a restricted household, read by anyone but the Fachstelle. */
const masked = (doc: { readonly restricted: boolean }, user: AuthenticatedUser): boolean => doc.restricted && !readsEveryCase(user);
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
  constructor(
    private readonly models: ReadModels,
    private readonly audit: AccessAudit,
  ) {}

  @Get('cases/:id')
  @ApiRoute('A case', ['caseworker', 'fachstelle'], 'A caseworker reads the cases assigned to them. Recorded in the access log.')
  @ApiParam({ name: 'id', format: 'uuid', description: 'the case' })
  @ApiOkResponse({ schema: answerRef('CaseDetail'), headers: ETAG })
  @ApiQueryProblems(404)
  async detail(
    @Param('id', CASE_ID) id: string,
    @Query() query: ReadQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.wait('cases', query.minPosition);
    const doc = await this.caseDoc(id, user);
    res.setHeader('ETag', `"${doc.revision}"`);
    // While processing is restricted only the Fachstelle sees the personal data (decision 0030); nothing shown, nothing logged.
    if (masked(doc, user)) return withoutPersonalDetail(toCaseDetail(doc, today()));
    const detail = toCaseDetail(doc, today());
    await this.audit.record(user, [id], 'detail');
    return detail;
  }

  @Get('cases/:id/timeline')
  @ApiRoute("A case's events in order", ['caseworker', 'fachstelle'], 'As the case detail. Recorded in the access log.')
  @ApiParam({ name: 'id', format: 'uuid', description: 'the case' })
  @ApiOkResponse({ schema: answerRef('Timeline') })
  @ApiQueryProblems(404)
  async timeline(@Param('id', CASE_ID) id: string, @Query() query: ReadQueryDto, @CurrentUser() user: AuthenticatedUser) {
    await this.wait('cases', query.minPosition);
    await this.wait('timeline', query.minPosition);
    const doc = await this.caseDoc(id, user);
    const timeline = await this.models.timeline(id);
    if (masked(doc, user)) return { caseId: id, restricted: true, items: withoutPersonalEntries(timeline?.doc.items ?? []) };
    await this.audit.record(user, [id], 'timeline');
    return { caseId: id, items: timeline?.doc.items ?? [] };
  }

  @Get('caseload')
  @ApiRoute('The caseload, a page at a time', ['caseworker', 'fachstelle'], 'A caseworker reads their own caseload only (403 for another).')
  @ApiOkResponse({ schema: answerRef('CaseloadPage') })
  @ApiQueryProblems()
  caseload(@Query() query: CaseloadQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.caseloadPage(
      {
        ...query,
        overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
        limit: query.limit === undefined ? undefined : Number(query.limit),
      },
      user,
    );
  }

  /** The same query with the criteria in the body: a name search never appears in a URL (API.md "Queries"). */
  @Post('caseload/search')
  @HttpCode(200)
  @ApiRoute(
    'The caseload, criteria in the body',
    ['caseworker', 'fachstelle'],
    'The same query as GET /api/caseload; a name search stays out of URLs. Writes nothing.',
  )
  @ApiOkResponse({ schema: answerRef('CaseloadPage') })
  @ApiQueryProblems(413, 415)
  search(@Body() body: CaseloadSearchDto, @CurrentUser() user: AuthenticatedUser) {
    return this.caseloadPage(body, user);
  }

  /** Both caseload routes, with the criteria in JSON types. */
  private async caseloadPage(criteria: CaseloadSearchDto, user: AuthenticatedUser) {
    const everyCase = readsEveryCase(user);
    if (!everyCase && criteria.caseworkerId !== undefined && criteria.caseworkerId !== user.userId) {
      throw new ForbiddenException('caseworkers read only their own caseload');
    }
    await this.wait('cases', criteria.minPosition);
    const day = today();
    const page = await this.models.caseload({
      caseworkerId: everyCase ? criteria.caseworkerId : user.userId,
      status: criteria.status,
      overdue: criteria.overdue,
      q: criteria.q,
      sort: criteria.sort ?? 'nextVisitDueOn',
      cursor: criteria.cursor,
      limit: criteria.limit ?? 50,
      today: day,
    });
    // A restricted household's name is not shown to caseworkers, nor found by it (a hit would tell the name).
    const items = page.items
      .filter((doc) => !(masked(doc, user) && criteria.q !== undefined))
      .map((doc) => (masked(doc, user) ? withoutPersonalItem(toCaseloadItem(doc, day)) : toCaseloadItem(doc, day)));
    // One entry per case whose household name is in the answer (erased households show none).
    await this.audit.record(
      user,
      items.filter((item) => item.householdName !== null).map((item) => item.caseId),
      'caseload',
    );
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
