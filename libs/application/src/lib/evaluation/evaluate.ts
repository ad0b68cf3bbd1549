import {
  annualReport,
  anonymise,
  caseExport,
  computeStatistics,
  type AnnualReport,
  type CaseExportRow,
  type Period,
  type Statistics,
} from '@wih/evaluation';
import type { EventStore } from '@wih/event-store';
import { pseudonymiser, replayFacts } from './replay';

export interface CaseExport {
  readonly period: Period;
  readonly asOf: string;
  readonly rows: readonly CaseExportRow[];
  /** Rows left out because they would narrow a business date below a week (DOMAIN.md). */
  readonly withheld: number;
}

/**
 * One evaluation request as data: it crosses to the thread that replays the log (structured
 * clone), so it holds only plain values. `asOf` is already resolved to an instant.
 */
export type EvaluationJob =
  | { readonly kind: 'statistics'; readonly period: Period; readonly asOf: string }
  | { readonly kind: 'annual-report'; readonly year: number; readonly asOf: string }
  | { readonly kind: 'case-export'; readonly period: Period; readonly asOf: string };

export interface EvaluationAnswers {
  readonly statistics: Statistics;
  readonly 'annual-report': AnnualReport;
  readonly 'case-export': CaseExport;
}

export type EvaluationKind = EvaluationJob['kind'];
export type JobOf<K extends EvaluationKind> = Extract<EvaluationJob, { kind: K }>;

/**
 * Replays the log for one job and computes its answer: the figures then depend on the recorded
 * history and `asOf` only, never on the state of a projection. Everything returned is anonymised
 * (the case export by pseudonyms drawn for this answer only).
 */
export async function evaluate<K extends EvaluationKind>(events: EventStore, job: JobOf<K>): Promise<EvaluationAnswers[K]>;
export async function evaluate(events: EventStore, job: EvaluationJob): Promise<EvaluationAnswers[EvaluationKind]> {
  const facts = await replayFacts(events, job.asOf);
  switch (job.kind) {
    case 'statistics':
      return anonymise(computeStatistics(facts, { ...job.period, asOf: job.asOf }));
    case 'annual-report':
      return annualReport(facts, job.year, job.asOf, new Date().toISOString());
    case 'case-export': {
      const period = { from: job.period.from, to: job.period.to };
      const { rows, withheld } = caseExport(facts, { ...period, asOf: job.asOf }, pseudonymiser());
      return { period, asOf: job.asOf, rows, withheld };
    }
  }
}
