import { Controller, Get, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { PersonalDataKeys, readAccessReport } from '@wih/application';
import type { AccessLog } from '@wih/access-log';
import { notFound } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import type { Settings } from '@wih/runtime';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { AccessAudit } from '../access-log/access-audit';
import { InjectAccessLog } from '../access-log/access-log.token';
import { SETTINGS } from '../app/tokens';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { EvaluationService } from '../evaluation/evaluation.service';
import { answerRef } from '../http/openapi/answers';
import { ATTACHMENT, NO_STORE } from '../http/openapi/headers';
import { ApiQueryProblems, ApiRoute } from '../http/openapi/problems';
import { uuidParam } from '../http/validation';
import { InjectEventStore } from '../store/event-store.provider';

const FORMATS = ['json', 'pdf'] as const;

export class AccessReportQueryDto {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json' }) @IsOptional() @IsIn(FORMATS) format?: (typeof FORMATS)[number];
}

/**
 * The household's access report (DSGVO Art. 15, § 83 SGB X; decision 0033): the Fachstelle
 * assembles it for handing to the household. Read from the log under the household's key, never
 * from the read models; written to the access log (one entry per case) before it is sent.
 */
@ApiTags('queries')
@ApiBearerAuth()
@Roles('fachstelle')
@Controller('api/households')
export class AccessReportController {
  constructor(
    @InjectEventStore() private readonly events: EventStore,
    private readonly keys: PersonalDataKeys,
    @InjectAccessLog() private readonly log: AccessLog,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly audit: AccessAudit,
    private readonly evaluation: EvaluationService,
  ) {}

  @Get(':householdId/access-report')
  @ApiRoute(
    'Everything stored about a household (DSGVO Art. 15), for handing to it',
    ['fachstelle'],
    'JSON, or the German A4 PDF (`format=pdf`). After an erasure only that the data was erased, and when. Recorded in the access log (`access-report`, one entry per case).',
  )
  @ApiParam({ name: 'householdId', format: 'uuid' })
  @ApiOkResponse({
    content: {
      'application/json': { schema: answerRef('AccessReport') },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
    headers: { ...NO_STORE, ...ATTACHMENT },
  })
  @ApiQueryProblems(404)
  async report(
    @Param('householdId', uuidParam('householdId')) householdId: string,
    @Query() query: AccessReportQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const assembled = await readAccessReport(this.events, this.keys, this.log, householdId, {
      issuedAt: new Date().toISOString(),
      retention: this.settings.retention,
    });
    if (!assembled) throw notFound('household-not-found', 'no household has this id');
    const pdf = query.format === 'pdf' ? await this.evaluation.accessReportPdf(assembled.report) : null;
    // Fail closed: nothing leaves without its entries (503 `access-log-unavailable` otherwise).
    await this.audit.record(user, assembled.caseIds, 'access-report');
    res.setHeader('Cache-Control', 'no-store');
    if (!pdf) return assembled.report;
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="auskunft-${householdId}.pdf"`,
      length: pdf.length,
    });
  }
}
