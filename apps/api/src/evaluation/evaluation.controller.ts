import { Controller, Get, Param, Query, Res, StreamableFile, type PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { AsOfError, asksForNow, resolveAsOf } from '@wih/application';
import { businessDateOf, daysBetween } from '@wih/domain';
import {
  comparisonPeriod,
  MAX_REPORT_DAYS,
  renderAnnualReportCsv,
  renderAnnualReportHtml,
  renderCaseExportCsv,
  type PeriodicReport,
  type ReportText,
} from '@wih/evaluation';
import type { Response } from 'express';
import { Roles } from '../auth/roles';
import { answerRef } from '../http/openapi/answers';
import { ATTACHMENT, NO_STORE } from '../http/openapi/headers';
import { ApiQueryProblems, ApiRoute } from '../http/openapi/problems';
import { ValidationProblem } from '../http/problem';
import { RateLimited } from '../http/rate-limit';
import { AnnualReportService } from '../annual-report/annual-report.service';
import { CurrentUser, type AuthenticatedUser } from '../auth/roles';
import {
  AnnualReportQueryDto,
  CaseExportQueryDto,
  PeriodicReportQueryDto,
  separatorOf,
  StatisticsQueryDto,
  type Separator,
} from './evaluation.dto';
import { EvaluationService } from './evaluation.service';

/** A four-digit report year in the path: 400 `validation` naming `year` otherwise. */
export const YEAR: PipeTransform<string, number> = {
  transform: (value) => {
    if (!/^\d{4}$/.test(value) || Number(value) < 2000) {
      throw new ValidationProblem([{ field: 'year', message: 'year must be a year (YYYY, from 2000)' }], 'the path has an invalid year');
    }
    return Number(value);
  },
};

/**
 * Evaluators' answers are anonymised, but still must not linger in shared caches or the browser's
 * history cache; the HTML report gets a policy that allows no script and no outside resource.
 */
const noStore = (res: Response): void => void res.setHeader('Cache-Control', 'no-store');
const HTML_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const text = { type: 'string' } as const;
const binary = { type: 'string', format: 'binary' } as const;
/** A report's answer in each format it is asked for (`format=`). */
const reportContent = (json: 'AnnualReport' | 'PeriodicReport') => ({
  'application/json': { schema: answerRef(json) },
  'text/csv': { schema: text },
  'text/html': { schema: text },
  'application/pdf': { schema: binary },
});
// 422 `not-publishable`: the figures cannot go out without disclosing small counts.
const ApiEvaluationProblems = () => ApiQueryProblems(422);

/** The DTO has checked asOf already; this resolves it (a date-only asOf becomes an instant). */
export const asOfOf = (value: string | undefined): string => {
  try {
    return resolveAsOf(value);
  } catch (error) {
    if (error instanceof AsOfError) throw new ValidationProblem([{ field: 'asOf', message: error.message }]);
    throw error;
  }
};

const csv = (res: Response, filename: string, body: string): string => {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  return body;
};

/** Bytes as they are: a StreamableFile is sent untouched (no JSON, no charset added to the type). */
const pdf = (filename: string, body: Buffer): StreamableFile =>
  new StreamableFile(body, { type: 'application/pdf', disposition: `attachment; filename="${filename}"`, length: body.length });

/** A report (annual or any period) as CSV, HTML or JSON; the PDF comes rendered from the evaluation thread. */
const rendered = (
  res: Response,
  report: PeriodicReport,
  format: 'json' | 'csv' | 'html',
  filename: string,
  separator?: Separator,
  text?: ReportText,
) => {
  switch (format) {
    case 'csv':
      return csv(res, `${filename}.csv`, renderAnnualReportCsv(report, { separator: separatorOf(separator) }));
    case 'html':
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', HTML_POLICY);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      return renderAnnualReportHtml(report, text);
    default:
      return report;
  }
};

/** Evaluation (API.md "Queries", DOMAIN.md "Evaluation"): replayed from the log, anonymised. */
@ApiTags('evaluation')
@ApiBearerAuth()
@RateLimited('evaluation')
@Controller('api/evaluation')
export class EvaluationController {
  constructor(
    private readonly evaluation: EvaluationService,
    private readonly reports: AnnualReportService,
  ) {}

  @Get('statistics')
  @Roles('evaluator', 'fachstelle')
  @ApiRoute(
    'The statistics of a period, anonymised',
    ['evaluator', 'fachstelle'],
    'Replayed from the log as known at `asOf`; small counts are `"<5"` or `"suppressed"`.',
  )
  @ApiOkResponse({ schema: answerRef('Statistics'), headers: NO_STORE })
  @ApiEvaluationProblems()
  async statistics(@Query() query: StatisticsQueryDto, @Res({ passthrough: true }) res: Response) {
    noStore(res);
    return this.evaluation.statistics({ from: query.from, to: query.to }, asOfOf(query.asOf), asksForNow(query.asOf));
  }

  /** A finalised year answers its frozen report (asOf is then ignored); the Fachstelle gets finalised years only. */
  @Get('annual-report/:year')
  @Roles('evaluator', 'fachstelle')
  @ApiParam({ name: 'year', description: 'the reporting year (due by 30 April of the next year)', example: 2025 })
  @ApiRoute(
    'The annual report',
    ['evaluator', 'fachstelle'],
    'The Fachstelle reads finalised years only (403 `report-not-finalised` before).',
  )
  @ApiOkResponse({ content: reportContent('AnnualReport'), headers: { ...NO_STORE, ...ATTACHMENT } })
  @ApiEvaluationProblems()
  async annualReport(
    @Param('year', YEAR) year: number,
    @Query() query: AnnualReportQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const report = await this.reports.published(year, user, () => {
      const asOf = asOfOf(query.asOf);
      if (year > Number(businessDateOf(new Date(asOf)).slice(0, 4))) {
        throw new ValidationProblem([{ field: 'year', message: 'year must not be after the year of asOf' }]);
      }
      return { asOf, now: asksForNow(query.asOf) };
    });
    noStore(res);
    const format = query.format ?? 'json';
    // Every format from the one published model: a finalised year's PDF is its frozen figures too.
    if (format === 'pdf') return pdf(`jahresbericht-${year}.pdf`, await this.evaluation.reportPdf(report, report));
    return rendered(res, report, format, `jahresbericht-${year}`, query.separator, report);
  }

  /**
   * A report for any period beside its comparison period (decision 0027), evaluators only: it has
   * no finalisation, and the Fachstelle reads finalised annual reports and the statistics.
   */
  @Get('report')
  @Roles('evaluator')
  @ApiRoute('A report for any period beside its comparison period', ['evaluator'], 'At most 366 days (decision 0027).')
  @ApiOkResponse({ content: reportContent('PeriodicReport'), headers: { ...NO_STORE, ...ATTACHMENT } })
  @ApiEvaluationProblems()
  async periodicReport(@Query() query: PeriodicReportQueryDto, @Res({ passthrough: true }) res: Response) {
    const asOf = asOfOf(query.asOf);
    const period = { from: query.from, to: query.to };
    if (daysBetween(period.from, period.to) + 1 > MAX_REPORT_DAYS) {
      throw new ValidationProblem([{ field: 'to', message: `the period must not be longer than ${MAX_REPORT_DAYS} days` }]);
    }
    if (period.from > businessDateOf(new Date(asOf))) {
      throw new ValidationProblem([{ field: 'from', message: 'from must not be after the date of asOf' }]);
    }
    noStore(res);
    const comparison = comparisonPeriod(period);
    const filename = `bericht-${period.from}-${period.to}`;
    const format = query.format ?? 'json';
    const now = asksForNow(query.asOf);
    if (format === 'pdf') return pdf(`${filename}.pdf`, await this.evaluation.periodicReportPdf(period, comparison, asOf, now));
    return rendered(res, await this.evaluation.periodicReport(period, comparison, asOf, now), format, filename, query.separator);
  }

  @Get('cases')
  @Roles('evaluator')
  @ApiRoute('The anonymised case-level export', ['evaluator'], 'Rows carry a per-report pseudonym, never a case id.')
  @ApiOkResponse({
    content: { 'application/json': { schema: answerRef('CaseExport') }, 'text/csv': { schema: text } },
    headers: { ...NO_STORE, ...ATTACHMENT },
  })
  @ApiEvaluationProblems()
  async cases(@Query() query: CaseExportQueryDto, @Res({ passthrough: true }) res: Response) {
    noStore(res);
    const exported = await this.evaluation.caseExport({ from: query.from, to: query.to }, asOfOf(query.asOf), asksForNow(query.asOf));
    if (query.format !== 'csv') return exported;
    return csv(
      res,
      `fallexport-${query.from}-${query.to}.csv`,
      renderCaseExportCsv(exported.rows, { separator: separatorOf(query.separator) }),
    );
  }
}
