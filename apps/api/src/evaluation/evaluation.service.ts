import { Injectable } from '@nestjs/common';
import { pseudonymiser, replayFacts } from '@wih/application';
import { annualReport, anonymise, caseExportRows, computeStatistics, type AnnualReport, type CaseExportRow, type Period, type Statistics } from '@wih/evaluation';
import type { EventStore } from '@wih/event-store';
import { InjectEventStore } from '../store/event-store.provider';

export interface CaseExport {
  readonly period: Period;
  readonly asOf: string;
  readonly rows: readonly CaseExportRow[];
}

/**
 * Evaluation replays the log for every answer: the figures then depend on the recorded history
 * and `asOf` only, never on the state of a projection. Everything returned here is anonymised.
 */
@Injectable()
export class EvaluationService {
  constructor(@InjectEventStore() private readonly events: EventStore) {}

  async statistics(period: Period, asOf: string): Promise<Statistics> {
    const facts = await replayFacts(this.events, asOf);
    return anonymise(computeStatistics(facts, { ...period, asOf }));
  }

  async annualReport(year: number, asOf: string): Promise<AnnualReport> {
    const facts = await replayFacts(this.events, asOf);
    return annualReport(facts, year, asOf, new Date().toISOString());
  }

  async caseExport(period: Period, asOf: string): Promise<CaseExport> {
    const facts = await replayFacts(this.events, asOf);
    return { period: { from: period.from, to: period.to }, asOf, rows: caseExportRows(facts, { ...period, asOf }, pseudonymiser()) };
  }
}
