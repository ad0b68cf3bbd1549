import type { CaseExportRow } from '../case-export';
import { activityRows, fullActivityLabel, type ActivityRow } from './activity-rows';
import { formatDecimal, type DecimalMark } from './format';
import { LABELS_DE } from './labels.de';
import { calendarYearOf, type PeriodicReport } from './periodic-report';
import { fullRowLabel, reportRows, type ReportRow } from './rows';

export interface CsvOptions {
  /** `;` for German Excel (numbers then get a decimal comma); `,` (default) with a decimal point. */
  readonly separator?: ',' | ';';
}

/** Excel reads UTF-8 only with a byte order mark; RFC 4180 asks for CRLF. */
const BOM = '\uFEFF';
const EOL = '\r\n';
/** Shares keep four decimals (0.01 percentage points); medians are whole or half days. */
const SHARE_DIGITS = 4;
const NUMBER_DIGITS = 2;

type Cell = string | number | boolean | null;

const PLAIN_NUMBER = /^[+-]?\d+([.,]\d+)?$/;

/**
 * Spreadsheets run a cell starting with = + - @ (or a tab or CR) as a formula. Such a text is
 * prefixed with an apostrophe, which makes it text; a plain number like -3 stays a number.
 */
export const guardFormula = (text: string): string => (/^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text);

/**
 * RFC 4180: quote a field holding a quote, CR, LF or either separator, whichever this file uses
 * (German Excel splits a comma-separated file on `;`); double its quotes. The same rules as the
 * access log's CSV (libs/access-log), which a store library cannot import from here.
 */
export const csvField = (text: string, separator: ',' | ';' = ','): string => {
  // A number with a decimal comma in a `;` file stays bare, so that the spreadsheet reads it as a number.
  if (separator === ';' && PLAIN_NUMBER.test(text)) return text;
  const guarded = guardFormula(text);
  return /[",;\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
};

const markOf = (separator: string): DecimalMark => (separator === ';' ? ',' : '.');

const cellText = (value: Cell, mark: DecimalMark, digits = NUMBER_DIGITS): string => {
  if (value === null) return '';
  if (typeof value === 'number') return formatDecimal(value, digits, mark);
  return String(value);
};

/** The document: BOM, then every line's fields joined by the separator, each line ended by CRLF. */
const toCsv = (lines: readonly (readonly string[])[], separator: ',' | ';'): string =>
  BOM + lines.map((cells) => cells.map((text) => csvField(text, separator)).join(separator) + EOL).join('');

/**
 * The annual report in long format: one line per figure with stable codes (block, metric, code)
 * for programs and a German label for readers, then the period and the comparison period (for the
 * annual report: the year and the previous year). Hidden counts
 * keep their stable codes "<5" and "suppressed"; a withheld share or median is an empty cell.
 * Households with children have the block `withChildren.<block>`. The activities beyond single
 * cases follow as the block `activities` (cells of a breakdown as `byKind.count` / `byKind.hours`).
 */
export const renderAnnualReportCsv = (report: PeriodicReport, options: CsvOptions = {}): string => {
  const separator = options.separator ?? ',';
  const mark = markOf(separator);
  const line = (row: ReportRow): string[] => {
    const digits = row.kind === 'share' ? SHARE_DIGITS : NUMBER_DIGITS;
    return [
      row.scope === 'withChildren' ? `withChildren.${row.block}` : row.block,
      row.metric,
      row.code ?? '',
      fullRowLabel(LABELS_DE, row),
      cellText(row.current, mark, digits),
      cellText(row.previous, mark, digits),
    ];
  };
  const activityLine = (row: ActivityRow): string[] => [
    row.block,
    row.metric,
    row.code ?? '',
    fullActivityLabel(LABELS_DE, row),
    cellText(row.current, mark),
    cellText(row.previous, mark),
  ];
  // A calendar year's column is its number; any other period's its ISO 8601 interval (2026-01-01/2026-03-31).
  const column = ({ period }: PeriodicReport['current']): string => String(calendarYearOf(period) ?? `${period.from}/${period.to}`);
  const header = ['block', 'metric', 'code', 'label', column(report.current), column(report.previous)];
  return toCsv([header, ...reportRows(report).map(line), ...activityRows(report).map(activityLine)], separator);
};

/** The columns of the case export, in order: CaseExportRow's field names, stable for programs. */
export const CASE_EXPORT_COLUMNS = [
  'pseudonym',
  'referralSource',
  'targetGroup',
  'withChildren',
  'repeatReferral',
  'decision',
  'rejectionReason',
  'receivedMonth',
  'weeksToDecision',
  'weeksApprovalToClose',
  'visits',
  'mediations',
  'housingOutcome',
  'closingReason',
  'housingAtClose',
  'repeated6m',
  'repeated12m',
  'repeated24m',
] as const satisfies readonly (keyof CaseExportRow)[];

/** A field added to CaseExportRow but not to the columns fails to compile here. */
type MissingColumn = Exclude<keyof CaseExportRow, (typeof CASE_EXPORT_COLUMNS)[number]>;
const _everyColumn: [MissingColumn] extends [never] ? true : MissingColumn = true;

/** The case-level export: a header of stable column names, then one line per case; null is an empty cell. */
export const renderCaseExportCsv = (rows: readonly CaseExportRow[], options: CsvOptions = {}): string => {
  const separator = options.separator ?? ',';
  const mark = markOf(separator);
  const lines = rows.map((row) => CASE_EXPORT_COLUMNS.map((column) => cellText(row[column], mark)));
  return toCsv([[...CASE_EXPORT_COLUMNS], ...lines], separator);
};
