import { AsOfError, pseudonymiser, replayFacts, resolveAsOf, type ReplayProgress } from '@wih/application';
import { businessDateOf, isCalendarDate } from '@wih/domain';
import { annualReport, caseExportRows, renderAnnualReportCsv, renderAnnualReportHtml, renderCaseExportCsv } from '@wih/evaluation';
import type { EventStore } from '@wih/event-store';
import { Command, Option } from 'commander';

/**
 * `report` and `export`: the evaluators' outputs of the API (same replay, same anonymisation),
 * straight from the event store, for the annual report run without a running API.
 */

export interface EvaluationIo {
  /** Opens the event store (read-only use); closed after the command. */
  readonly openStore: () => EventStore | Promise<EventStore>;
  /** Receives the output: the document and nothing else, so it can be redirected to a file. */
  readonly write: (text: string) => void;
  /** Progress while the log is replayed (the CLI draws a bar on stderr). */
  readonly progress?: () => { readonly update: ReplayProgress; readonly stop: () => void };
  /** Notes for the user (stderr), never part of the output. */
  readonly warn?: (text: string) => void;
}

interface ReportOptions {
  year: string;
  format: 'json' | 'csv' | 'html';
  asOf?: string;
  separator: 'comma' | 'semicolon';
}
interface ExportOptions {
  from: string;
  to: string;
  format: 'json' | 'csv';
  asOf?: string;
  separator: 'comma' | 'semicolon';
}

const separatorOf = (separator: ReportOptions['separator']): ',' | ';' => (separator === 'semicolon' ? ';' : ',');

/** Thrown for bad options; main prints the message and exits with 1. */
export class UsageError extends Error {}

const asOfOf = (value: string | undefined): string => {
  try {
    return resolveAsOf(value);
  } catch (error) {
    if (error instanceof AsOfError) throw new UsageError(`--as-of: ${error.message}`);
    throw error;
  }
};

const dateOption = (name: string, value: string): string => {
  if (!isCalendarDate(value)) throw new UsageError(`--${name} must be a calendar date (YYYY-MM-DD)`);
  return value;
};

async function replay(io: EvaluationIo, asOf: string) {
  const store = await io.openStore();
  const progress = io.progress?.();
  try {
    const facts = await replayFacts(store, asOf, progress?.update);
    // An empty report usually means the wrong store (DATA_DIR, EVENT_STORE), not an empty programme.
    if (facts.cases.length === 0) io.warn?.(`no case was recorded by ${asOf}: is the environment pointing at the right event store?`);
    return facts;
  } finally {
    progress?.stop();
    await store.close();
  }
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export async function runReport(options: ReportOptions, io: EvaluationIo): Promise<void> {
  if (!/^\d{4}$/.test(options.year) || Number(options.year) < 2000) throw new UsageError('--year must be a year (YYYY, from 2000)');
  const year = Number(options.year);
  const asOf = asOfOf(options.asOf);
  if (year > Number(businessDateOf(new Date(asOf)).slice(0, 4))) throw new UsageError('--year must not be after the year of --as-of');
  const report = annualReport(await replay(io, asOf), year, asOf, new Date().toISOString());
  if (options.format === 'csv') io.write(renderAnnualReportCsv(report, { separator: separatorOf(options.separator) }));
  else if (options.format === 'html') io.write(renderAnnualReportHtml(report));
  else io.write(json(report));
}

export async function runExport(options: ExportOptions, io: EvaluationIo): Promise<void> {
  const period = { from: dateOption('from', options.from), to: dateOption('to', options.to) };
  if (period.from > period.to) throw new UsageError('--to must not be before --from');
  const asOf = asOfOf(options.asOf);
  const rows = caseExportRows(await replay(io, asOf), { ...period, asOf }, pseudonymiser());
  if (options.format === 'csv') io.write(renderCaseExportCsv(rows, { separator: separatorOf(options.separator) }));
  else io.write(json({ period, asOf, rows }));
}

const AS_OF_HELP =
  'only events recorded until then count: ISO instant with zone, or YYYY-MM-DD = end of that day in Cologne (default: now)';
const separator = () => new Option('--separator <separator>', 'CSV field separator').choices(['comma', 'semicolon']).default('comma');

/** Adds `report` and `export` to the program. */
export function evaluationCommands(program: Command, io: EvaluationIo): void {
  program
    .command('report')
    .description('the anonymised annual report (due 30 April of the next year), to stdout')
    .requiredOption('--year <year>', 'the reporting year')
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'csv', 'json']).default('json'))
    .option('--as-of <when>', AS_OF_HELP)
    .addOption(separator())
    .action((options: ReportOptions) => runReport(options, io));

  program
    .command('export')
    .description('the anonymised case-level export for a period, to stdout')
    .requiredOption('--from <date>', 'first business date of the period (inclusive)')
    .requiredOption('--to <date>', 'last business date of the period (inclusive)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('--as-of <when>', AS_OF_HELP)
    .addOption(separator())
    .action((options: ExportOptions) => runExport(options, io));
}
