import { Controller, Get, Param, Query, Res, type PipeTransform } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AsOfError, resolveAsOf } from '@wih/application';
import { businessDateOf } from '@wih/domain';
import { renderAnnualReportCsv, renderAnnualReportHtml, renderCaseExportCsv } from '@wih/evaluation';
import type { Response } from 'express';
import { Roles } from '../auth/roles';
import { ValidationProblem } from '../http/problem';
import { RateLimited } from '../http/rate-limit';
import { AnnualReportService } from '../annual-report/annual-report.service';
import { CurrentUser, type AuthenticatedUser } from '../auth/roles';
import { AnnualReportQueryDto, CaseExportQueryDto, separatorOf, StatisticsQueryDto } from './evaluation.dto';
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
  async statistics(@Query() query: StatisticsQueryDto, @Res({ passthrough: true }) res: Response) {
    noStore(res);
    return this.evaluation.statistics({ from: query.from, to: query.to }, asOfOf(query.asOf));
  }

  /** A finalised year answers its frozen report (asOf is then ignored); the Fachstelle gets finalised years only. */
  @Get('annual-report/:year')
  @Roles('evaluator', 'fachstelle')
  @ApiParam({ name: 'year', description: 'the reporting year (due by 30 April of the next year)', example: 2025 })
  @ApiProduces('application/json', 'text/csv', 'text/html')
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
      return asOf;
    });
    noStore(res);
    switch (query.format ?? 'json') {
      case 'csv':
        return csv(res, `jahresbericht-${year}.csv`, renderAnnualReportCsv(report, { separator: separatorOf(query.separator) }));
      case 'html':
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.setHeader('Content-Security-Policy', HTML_POLICY);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        return renderAnnualReportHtml(report, report);
      default:
        return report;
    }
  }

  @Get('cases')
  @Roles('evaluator')
  @ApiProduces('application/json', 'text/csv')
  async cases(@Query() query: CaseExportQueryDto, @Res({ passthrough: true }) res: Response) {
    noStore(res);
    const exported = await this.evaluation.caseExport({ from: query.from, to: query.to }, asOfOf(query.asOf));
    if (query.format !== 'csv') return exported;
    return csv(
      res,
      `fallexport-${query.from}-${query.to}.csv`,
      renderCaseExportCsv(exported.rows, { separator: separatorOf(query.separator) }),
    );
  }
}
