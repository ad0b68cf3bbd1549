import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { isCalendarDate } from '@wih/domain';
import { ACCESS_CSV_HEADER, toAccessCsv, type AccessEntry, type AccessLog, type AccessLogQuery } from '@wih/access-log';
import type { Response } from 'express';
import { Roles } from '../auth/roles';
import { answerRef } from '../http/openapi/answers';
import { ATTACHMENT, NO_STORE } from '../http/openapi/headers';
import { ApiQueryProblems, ApiRoute } from '../http/openapi/problems';
import { ValidationProblem } from '../http/problem';
import { AccessLogQueryDto } from './access-log.dto';
import { InjectAccessLog } from './access-log.token';

/** Entries per read from the store while streaming: the export's memory stays flat however long the log. */
export const EXPORT_PAGE = 1000;

const DAY_MS = 86_400_000;
const isDate = (value: string) => value.length === 10;
const instant = (value: string, field: string): number => {
  const ms = Date.parse(isDate(value) ? `${value}T00:00:00.000Z` : value);
  // Date.parse rolls 2026-02-30 over into March: the calendar date is checked on its own.
  if (Number.isNaN(ms) || !isCalendarDate(value.slice(0, 10)))
    throw new ValidationProblem([{ field, message: `${field} is not a real date` }]);
  return ms;
};

/** `from` inclusive, `to` inclusive (a date: its whole UTC day), as the store's [from, before). */
export function rangeOf(query: AccessLogQueryDto): Pick<AccessLogQuery, 'from' | 'before'> {
  const from = query.from === undefined ? undefined : instant(query.from, 'from');
  const before = query.to === undefined ? undefined : instant(query.to, 'to') + (isDate(query.to) ? DAY_MS : 1);
  if (from !== undefined && before !== undefined && from >= before)
    throw new ValidationProblem([{ field: 'to', message: 'to must not be before from' }]);
  return {
    from: from === undefined ? undefined : new Date(from).toISOString(),
    before: before === undefined ? undefined : new Date(before).toISOString(),
  };
}

/**
 * The admin export of the access log (docs/access-log.md). Read-only: no route changes the log.
 * Streamed page by page; the first page is read before the answer starts, so a log that does not
 * answer is a 503 problem, and a failure later cuts the connection (a truncated export is visible
 * as such: no closing bracket in JSON, a missing end in CSV).
 */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/admin/access-log')
export class AccessLogController {
  constructor(@InjectAccessLog() private readonly log: AccessLog) {}

  @Get()
  @ApiRoute('Export the read access log', ['admin'], 'Streamed; a failure part-way cuts the connection (no closing bracket, no CSV end).')
  @ApiOkResponse({
    content: { 'application/json': { schema: answerRef('AccessLog') }, 'text/csv': { schema: { type: 'string' } } },
    headers: { ...NO_STORE, ...ATTACHMENT },
  })
  @ApiQueryProblems()
  async export(@Query() query: AccessLogQueryDto, @Res() res: Response): Promise<void> {
    const base = { ...rangeOf(query), userId: query.userId, caseId: query.caseId, limit: EXPORT_PAGE };
    let page = await this.log.find(base);
    const csv = query.format === 'csv';
    res.status(200).setHeader('Cache-Control', 'no-store');
    if (csv) res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="access-log.csv"');
    else res.type('application/json');
    await write(res, csv ? ACCESS_CSV_HEADER : '{"items":[');
    try {
      for (let first = true; page.length > 0 && !res.destroyed; first = false) {
        await write(res, csv ? toAccessCsv(page) : `${first ? '' : ','}${page.map((e) => JSON.stringify(e)).join(',')}`);
        if (page.length < EXPORT_PAGE) break;
        page = await this.log.find({ ...base, after: cursorOf(page) });
      }
    } catch (error) {
      res.destroy(error as Error);
      return;
    }
    res.end(csv ? '' : ']}');
  }
}

/** Waits while the client is slower than the store (or until it went away): a large export never piles up in memory. */
const write = (res: Response, chunk: string): Promise<void> =>
  res.write(chunk)
    ? Promise.resolve()
    : new Promise((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });

const cursorOf = (page: readonly AccessEntry[]) => ({ at: page[page.length - 1].at, id: page[page.length - 1].id });
