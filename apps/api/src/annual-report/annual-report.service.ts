import { Injectable } from '@nestjs/common';
import {
  defaultHandlerSettings,
  draftReportText,
  finaliseAnnualReport,
  publishedAnnualReport,
  readAnnualReportState,
  ReadModels,
  type Actor,
  type AsOf,
  type FinalisationResult,
  type ReportCommandOptions,
  type ReportTextInput,
  type ReportTextResult,
} from '@wih/application';
import { forbidden } from '@wih/domain';
import type { PublishedAnnualReport } from '@wih/evaluation';
import type { EventStore } from '@wih/event-store';
import type { AuthenticatedUser } from '../auth/roles';
import { EvaluationService } from '../evaluation/evaluation.service';
import { MetricsService } from '../metrics/metrics.service';
import { InjectEventStore } from '../store/event-store.provider';

/**
 * The annual report's own text and its finalisation (DOMAIN.md "The annual report"): drafts are
 * checked against the households of the cases read model, a finalisation computes the report on
 * the evaluation thread and freezes it in the log; a finalised year is answered from there.
 */
@Injectable()
export class AnnualReportService {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly evaluation: EvaluationService,
    private readonly metrics: MetricsService,
  ) {}

  async draft(input: ReportTextInput, actor: Actor, options: ReportCommandOptions): Promise<ReportTextResult> {
    const result = await draftReportText(this.store, input, actor, options, { households: () => this.readModels.households() });
    if (!result.replayed) this.metrics.countAppends('DraftReportText');
    return result;
  }

  async finalise(year: number, asOf: string, actor: Actor, options: ReportCommandOptions): Promise<FinalisationResult> {
    const result = await finaliseAnnualReport(
      this.store,
      { year, asOf },
      actor,
      options,
      (y, at) => this.evaluation.annualReport(y, at),
      defaultHandlerSettings,
    );
    if (!result.replayed) this.metrics.countAppends('FinaliseAnnualReport');
    return result;
  }

  /** The year's text and whether it is final, from the report's own stream: no replay of the log. */
  async text(year: number) {
    const state = await readAnnualReportState(this.store, year);
    const finalised = state.finalised && {
      asOf: state.finalised.asOf,
      finalisedAt: state.finalised.finalisedAt,
      figuresDigest: state.finalised.figuresDigest,
    };
    return { year, text: state.sections, finalised };
  }

  /**
   * The published report: a finalised year is its frozen model (whatever asOf asks and whatever
   * the log gained since), else the figures as of `asOf()` (`now`: asked for now, decision 0044), for evaluators only: the Fachstelle
   * receives the report once it is final.
   */
  async published(year: number, user: AuthenticatedUser, asOf: () => AsOf): Promise<PublishedAnnualReport> {
    return publishedAnnualReport(this.store, year, () => {
      if (!user.roles.includes('evaluator')) {
        throw forbidden('report-not-finalised', `the annual report ${year} is not finalised yet; the Fachstelle receives it once it is`);
      }
      const at = asOf();
      return this.evaluation.annualReport(year, at.asOf, at.now);
    });
  }
}
