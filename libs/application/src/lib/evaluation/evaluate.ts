import {
  annualReport,
  anonymise,
  calendarYear,
  caseExport,
  computeStatistics,
  periodicReport,
  renderAnnualReportPdf,
  type AnnualReport,
  type PeriodicReport,
  type ReportText,
  type CaseExportRow,
  type Period,
  type Facts,
  type Statistics,
} from '@wih/evaluation';
import type { EventStore } from '@wih/event-store';
import type { AccessReport } from '../access-report/access-report';
import { renderAccessReportPdf } from '../access-report/pdf';
import type { LiveFacts } from './live-facts';
import { pseudonymiser, replayFacts } from './replay';

export interface CaseExport {
  readonly period: Period;
  readonly asOf: string;
  readonly rows: readonly CaseExportRow[];
  /** Rows left out because they would narrow a business date below a week (DOMAIN.md). */
  readonly withheld: number;
}

/**
 * The instant an answer is as of. `now`: the user asked for now (no asOf), so the
 * answer may be given as of the later instant its facts were read (LiveFacts).
 */
export interface AsOf {
  readonly asOf: string;
  readonly now?: boolean;
}

/**
 * One evaluation request as data: it crosses to the evaluation thread (structured
 * clone), so it holds only plain values. `asOf` is already resolved to an instant.
 */
export type EvaluationJob =
  | ({ readonly kind: 'statistics'; readonly period: Period } & AsOf)
  /** `generatedAt` defaults to the thread's clock; a caller with a clock of its own (a recording) passes it. */
  | ({ readonly kind: 'annual-report'; readonly year: number; readonly generatedAt?: string } & AsOf)
  | ({ readonly kind: 'case-export'; readonly period: Period } & AsOf)
  | ({ readonly kind: 'periodic-report'; readonly period: Period; readonly comparison: Period } & AsOf)
  /** Rendering only, no replay: a report's PDF takes about a second of CPU, too long for the API's event loop (decision 0027). */
  | { readonly kind: 'report-pdf'; readonly report: PeriodicReport; readonly text?: ReportText }
  /**
   * Rendering only: the household's access report (decision 0033), assembled and logged on the main
   * thread; the thread lays out what it is given and opens nothing (it has no key store).
   */
  | { readonly kind: 'access-report-pdf'; readonly report: AccessReport };

export interface EvaluationAnswers {
  readonly statistics: Statistics;
  readonly 'annual-report': AnnualReport;
  readonly 'case-export': CaseExport;
  readonly 'periodic-report': PeriodicReport;
  /** The PDF's bytes (a Buffer in-thread, a Uint8Array after crossing from a thread). */
  readonly 'report-pdf': Uint8Array;
  readonly 'access-report-pdf': Uint8Array;
}

export type EvaluationKind = EvaluationJob['kind'];
export type JobOf<K extends EvaluationKind> = Extract<EvaluationJob, { kind: K }>;

/** The periods whose statistics a job computes (the case export computes none). */
const periodsOf = (job: Exclude<EvaluationJob, { kind: 'report-pdf' | 'access-report-pdf' }>): Period[] => {
  switch (job.kind) {
    case 'statistics':
      return [job.period];
    case 'annual-report':
      return [calendarYear(job.year), calendarYear(job.year - 1)];
    case 'periodic-report':
      return [job.period, job.comparison];
    case 'case-export':
      return [];
  }
};

/**
 * Computes one job's answer from the facts of the log as of its `asOf` (from `live` when given,
 * else replayed for this answer): the figures then depend on the recorded history and `asOf` only,
 * never on the state of a projection. Everything computed here is anonymised (the case export by
 * pseudonyms drawn for this answer only); the access report's PDF is only laid out here.
 */
export async function evaluate<K extends EvaluationKind>(
  events: EventStore,
  job: JobOf<K>,
  live?: LiveFacts,
): Promise<EvaluationAnswers[K]>;
export async function evaluate(events: EventStore, job: EvaluationJob, live?: LiveFacts): Promise<EvaluationAnswers[EvaluationKind]> {
  if (job.kind === 'report-pdf') return renderAnnualReportPdf(job.report, job.text);
  if (job.kind === 'access-report-pdf') return renderAccessReportPdf(job.report);
  const answer = (facts: Facts, asOf: string) => {
    switch (job.kind) {
      case 'statistics':
        return anonymise(computeStatistics(facts, { ...job.period, asOf }));
      case 'annual-report':
        return annualReport(facts, job.year, asOf, job.generatedAt ?? new Date().toISOString());
      case 'periodic-report':
        return periodicReport(facts, job.period, job.comparison, asOf, new Date().toISOString());
      case 'case-export': {
        const period = { from: job.period.from, to: job.period.to };
        const { rows, withheld } = caseExport(facts, { ...period, asOf }, pseudonymiser());
        return { period, asOf, rows, withheld };
      }
    }
  };
  if (live) {
    return live.withFacts(job.asOf, job.now ?? false, (facts, asOf, source) => {
      const result = answer(facts, asOf);
      // the periods of an answer from the live facts are likely asked for again: keep their figures current
      if (source === 'live') for (const period of periodsOf(job)) live.keepCurrent(period);
      return result;
    });
  }
  return answer(await replayFacts(events, job.asOf), job.asOf);
}
