import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res, type PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { isReportSection, REPORT_ROLES, REPORT_SECTIONS, type ReportSection } from '@wih/domain';
import type { Request, Response } from 'express';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { commandOptions } from '../cases/command-headers';
import { asOfOf, YEAR } from '../evaluation/evaluation.controller';
import { ApiIdempotencyKey, ApiIfMatch, COMMAND_HEADERS } from '../http/openapi/headers';
import { answerRef } from '../http/openapi/answers';
import { ApiCommandProblems, ApiQueryProblems, ApiRoute } from '../http/openapi/problems';
import { ValidationProblem } from '../http/problem';
import { RateLimited } from '../http/rate-limit';
import { FinalisationAnswerDto, FinalisationDto, ReportTextAnswerDto, ReportTextDto } from './annual-report.dto';
import { AnnualReportService } from './annual-report.service';

const SECTION: PipeTransform<string, ReportSection> = {
  transform: (value) => {
    if (!isReportSection(value)) {
      throw new ValidationProblem([{ field: 'section', message: `section must be one of ${REPORT_SECTIONS.join(', ')}` }]);
    }
    return value;
  },
};

/**
 * The annual report's commands (API.md): the text's sections and the finalisation. Both count as
 * evaluations for the rate limit: a draft is checked against every household (which also bounds
 * how often the check can be asked, decision 0025), a finalisation computes the report.
 */
@ApiTags('evaluation')
@ApiBearerAuth()
@RateLimited('evaluation')
@Controller('api/evaluation/annual-report')
export class AnnualReportController {
  constructor(private readonly reports: AnnualReportService) {}

  /**
   * The text alone, for the editor: read from the report's own stream, so it costs no replay and
   * counts against the ordinary limit rather than the evaluations'.
   */
  @Get(':year/text')
  @Roles(...REPORT_ROLES)
  @RateLimited('api')
  @ApiRoute("The annual report's text: every section with its revision, and whether the year is final", REPORT_ROLES)
  @ApiOkResponse({ schema: answerRef('AnnualReportText') })
  @ApiQueryProblems()
  text(@Param('year', YEAR) year: number) {
    return this.reports.text(year);
  }

  @Put(':year/text/:section')
  @ApiIdempotencyKey()
  @Roles(...REPORT_ROLES)
  @ApiParam({ name: 'section', enum: REPORT_SECTIONS })
  @ApiRoute(
    "Draft a section of the annual report's text",
    REPORT_ROLES,
    '422 `personal-data-in-text` (with `matches`) when it names a household; 409 `report-finalised` once the year is final.',
  )
  @ApiIfMatch("the section's revision the text was edited on; 412 when no longer current")
  @ApiOkResponse({ type: ReportTextAnswerDto, headers: COMMAND_HEADERS })
  @ApiCommandProblems(412)
  async draft(
    @Param('year', YEAR) year: number,
    @Param('section', SECTION) section: ReportSection,
    @Body() body: ReportTextDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReportTextAnswerDto> {
    const { expectedRevision, ...options } = commandOptions(req, user, body);
    const result = await this.reports.draft({ year, section, text: body.text, expectedRevision }, user, options);
    res.setHeader('ETag', `"${result.revision}"`);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { year, section, revision: result.revision, position: result.position.toString() };
  }

  @Post(':year/finalisation')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles(...REPORT_ROLES)
  @ApiRoute(
    'Finalise the annual report',
    REPORT_ROLES,
    'Freezes the figures as known at `asOf`; afterwards text and figures no longer change.',
  )
  @ApiOkResponse({ type: FinalisationAnswerDto, headers: COMMAND_HEADERS })
  @ApiCommandProblems()
  async finalise(
    @Param('year', YEAR) year: number,
    @Body() body: FinalisationDto,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FinalisationAnswerDto> {
    // The finalisation is once per year: an If-Match would add nothing to the domain's 409.
    const { expectedRevision: _ignored, ...options } = commandOptions(req, user, body);
    const result = await this.reports.finalise(year, asOfOf(body.asOf), user, options);
    res.setHeader('ETag', `"${result.revision}"`);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return {
      year,
      asOf: result.asOf,
      figuresDigest: result.figuresDigest,
      revision: result.revision,
      position: result.position.toString(),
    };
  }
}
