import type { AnnualReport, PublishedAnnualReport } from '@wih/evaluation';
import type { EventStore } from '@wih/event-store';
import { readAnnualReportState } from './annual-report-text';

/**
 * The year's annual report as a GET publishes it (DOMAIN.md "The annual report"), composed here
 * only, for the API and the recorded histories alike: the text's sections, and for a finalised year
 * the model frozen in the log (whatever asOf is asked and whatever the log gained since), else the
 * figures `live` computes. `live` runs only for a year not finalised, so the caller decides there
 * who may read such a year and as of when.
 */
export async function publishedAnnualReport(
  store: EventStore,
  year: number,
  live: () => Promise<AnnualReport>,
): Promise<PublishedAnnualReport> {
  const state = await readAnnualReportState(store, year);
  if (!state.finalised) return { ...(await live()), text: state.sections, finalised: null };
  const { asOf, finalisedAt, figuresDigest, report } = state.finalised;
  return { ...(report as AnnualReport), text: state.sections, finalised: { asOf, finalisedAt, figuresDigest } };
}
