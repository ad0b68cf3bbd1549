import { Inject, Injectable, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { AccessReport, CaseExport } from '@wih/application';
import type { AnnualReport, Period, PeriodicReport, ReportText, Statistics } from '@wih/evaluation';
import type { EventStore } from '@wih/event-store';
import type { Settings } from '@wih/runtime';
import { SETTINGS } from '../app/tokens';
import { InjectEventStore } from '../store/event-store.provider';
import { EvaluationGate } from './evaluation-gate';
import { EVALUATION_WORKER, evaluationThreadAvailable, inThreadEvaluator, threadEvaluator, type Evaluator } from './evaluation-threads';

export type { CaseExport };

/** Another evaluation worker script than the compiled one beside this file (tests: the built one, or a stand-in). */
export const EVALUATION_WORKER_SCRIPT = Symbol('EVALUATION_WORKER_SCRIPT');

/**
 * Evaluation answers from the facts of the log (libs/application `evaluate`), kept live by each
 * evaluation thread (decision 0044) and replayed for an earlier `asOf`. They run on
 * evaluation threads when the API runs compiled, so that a report over a long log never holds the
 * event loop that answers everyone's requests; at most EVALUATION_THREADS at once and
 * EVALUATION_QUEUE waiting (decision 0019). From the TypeScript sources (jest) it runs in-thread.
 */
@Injectable()
export class EvaluationService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly evaluator: Evaluator;
  private readonly gate: EvaluationGate;

  constructor(
    @InjectEventStore() events: EventStore,
    @Inject(SETTINGS) settings: Settings,
    @Optional() @Inject(EVALUATION_WORKER_SCRIPT) script?: string,
  ) {
    const worker = script ?? (evaluationThreadAvailable() ? EVALUATION_WORKER : undefined);
    this.evaluator = worker ? threadEvaluator(settings, worker) : inThreadEvaluator(events);
    this.gate = new EvaluationGate(settings.evaluation.threads, settings.evaluation.queue);
  }

  statistics(period: Period, asOf: string, now = false): Promise<Statistics> {
    return this.gate.run(() => this.evaluator.evaluate({ kind: 'statistics', period, asOf, now }));
  }

  annualReport(year: number, asOf: string, now = false): Promise<AnnualReport> {
    return this.gate.run(() => this.evaluator.evaluate({ kind: 'annual-report', year, asOf, now }));
  }

  periodicReport(period: Period, comparison: Period, asOf: string, now = false): Promise<PeriodicReport> {
    return this.gate.run(() => this.evaluator.evaluate({ kind: 'periodic-report', period, comparison, asOf, now }));
  }

  /**
   * A report's PDF, rendered on the evaluation thread too (about a second of CPU per report), in the
   * same place in the gate as the report itself: one request, one evaluation (decision 0027).
   */
  reportPdf(report: PeriodicReport, text?: ReportText): Promise<Buffer> {
    return this.gate.run(() => this.pdfOf(report, text));
  }

  periodicReportPdf(period: Period, comparison: Period, asOf: string, now = false): Promise<Buffer> {
    return this.gate.run(async () => this.pdfOf(await this.evaluator.evaluate({ kind: 'periodic-report', period, comparison, asOf, now })));
  }

  /**
   * The household's access report as a PDF (decision 0033): laid out on the evaluation thread like
   * the reports, in the same gate (503 `evaluation-busy` when it is full).
   */
  accessReportPdf(report: AccessReport): Promise<Buffer> {
    return this.gate.run(async () => {
      const bytes = await this.evaluator.evaluate({ kind: 'access-report-pdf', report });
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    });
  }

  private async pdfOf(report: PeriodicReport, text?: ReportText): Promise<Buffer> {
    const bytes = await this.evaluator.evaluate({ kind: 'report-pdf', report, text });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  caseExport(period: Period, asOf: string, now = false): Promise<CaseExport> {
    return this.gate.run(() => this.evaluator.evaluate({ kind: 'case-export', period, asOf, now }));
  }

  /** The threads fold the log at start, so the first answer as of now does not wait for a replay (decision 0044). */
  onApplicationBootstrap(): void {
    this.evaluator.warmUp();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.evaluator.close();
  }
}
