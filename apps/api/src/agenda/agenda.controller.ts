import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ReadModels } from '@wih/application';
import { businessDateOf } from '@wih/domain';
import { agendaKindsFor } from '@wih/projections';
import { AccessAudit } from '../access-log/access-audit';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { answerRef } from '../http/openapi/answers';
import { ApiQueryProblems, ApiRoute } from '../http/openapi/problems';
import { readsEveryCase } from '../queries/case-access';
import { AgendaQueryDto } from './agenda.dto';

const DEFAULT_LIMIT = 50;

/**
 * `GET /api/agenda` (API.md "Queries", decision 0028): what needs attention today, from the cases
 * read model. A caseworker gets their own caseload (as the caseload route scopes it), the
 * Fachstelle every case and the referrals waiting for its decision.
 */
@ApiTags('queries')
@ApiBearerAuth()
@Roles('caseworker', 'fachstelle')
@Controller('api')
export class AgendaController {
  constructor(
    private readonly models: ReadModels,
    private readonly audit: AccessAudit,
  ) {}

  @Get('agenda')
  @ApiRoute(
    'What needs attention today',
    ['caseworker', 'fachstelle'],
    'A caseworker gets their own caseload; the Fachstelle every case and the referrals waiting for its decision.',
  )
  @ApiOkResponse({ schema: answerRef('Agenda') })
  @ApiQueryProblems()
  async agenda(@Query() query: AgendaQueryDto, @CurrentUser() user: AuthenticatedUser) {
    if (query.minPosition !== undefined) await this.models.waitFor('cases', BigInt(query.minPosition));
    const everyCase = readsEveryCase(user);
    const today = businessDateOf(new Date());
    const { items: found, more } = await this.models.agenda({
      caseworkerId: everyCase ? undefined : user.userId,
      kinds: agendaKindsFor(everyCase),
      today,
      limit: query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit),
    });
    // As the caseload, a restricted household's name is the Fachstelle's only (decision 0030); the
    // flag stays, so that a missing name reads as restricted rather than erased.
    const items = found.map((item) => (item.restricted && !everyCase ? { ...item, householdName: null } : item));
    // As the caseload: one entry per case whose household name is shown (once, however many kinds list it).
    const named = new Set(items.filter((item) => item.householdName !== null).map((item) => item.caseId));
    await this.audit.record(user, [...named], 'caseload');
    return { today, items, more };
  }
}
