import { businessDateOf, isCalendarDate } from '@wih/domain';
import { computeActivities, type ActivityFigures } from './activities/activities';
import type { CaseFacts, Facts } from './facts';
import type { MetricContext } from './metric';
import { METRICS, type RawBlocks } from './metrics/registry';
import type { Period } from './raw';

export interface StatisticsRequest extends Period {
  /** ISO instant: only events recorded at or before it were collected. */
  readonly asOf: string;
}

/**
 * Every figure before anonymisation: for all cases and again for households with children; and
 * the activities beyond single cases, which count staff work, not households (no withChildren).
 */
export type RawStatistics = { readonly period: Period; readonly asOf: string } & RawBlocks & {
    readonly withChildren: RawBlocks;
    readonly activities: ActivityFigures;
  };

/** The context metrics run in; the date of asOf is its calendar date in Cologne. */
export const metricContext = (facts: Facts, { from, to, asOf }: StatisticsRequest): MetricContext => {
  if (!isCalendarDate(from) || !isCalendarDate(to) || from > to) throw new RangeError(`not a period: ${from} – ${to}`);
  const instant = new Date(asOf);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`asOf is not an ISO instant: ${asOf}`);
  return { from, to, asOfDate: businessDateOf(instant), households: facts.households };
};

/** Runs every registered metric over the given cases. */
export const computeBlocks = (cases: readonly CaseFacts[], ctx: MetricContext): RawBlocks =>
  Object.fromEntries(METRICS.map((metric) => [metric.block, metric.compute(cases, ctx)])) as unknown as RawBlocks;

export const computeStatistics = (facts: Facts, request: StatisticsRequest): RawStatistics => {
  const ctx = metricContext(facts, request);
  return {
    period: { from: request.from, to: request.to },
    asOf: request.asOf,
    ...computeBlocks(facts.cases, ctx),
    withChildren: computeBlocks(
      facts.cases.filter((c) => c.withChildren),
      ctx,
    ),
    activities: computeActivities(facts.activities, request),
  };
};
