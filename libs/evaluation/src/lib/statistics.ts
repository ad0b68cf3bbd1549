import { businessDateOf, isCalendarDate, type CalendarDate } from '@wih/domain';
import { computeActivities, type ActivityFigures } from './activities/activities';
import type { CaseFacts, Facts } from './facts';
import { sumOfSegments } from './kept-figures';
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

/** The first and the last of every date known about a case (its span), without building a list. */
const spanOf = (c: CaseFacts): { first: CalendarDate; last: CalendarDate } => {
  let first = c.receivedOn;
  let last = c.receivedOn;
  const see = (date: CalendarDate | null | undefined): void => {
    if (date == null) return;
    if (date < first) first = date;
    if (date > last) last = date;
  };
  see(c.approvedOn);
  see(c.rejectedOn);
  see(c.housingSecured?.securedOn);
  see(c.closure?.closedOn);
  for (const v of c.visits) see(v.visitedOn);
  for (const m of c.mediations) see(m.mediatedOn);
  for (const e of c.extensions) see(e.extendedOn);
  const plan = c.helpPlan;
  if (plan) {
    see(plan.firstAgreedOn);
    see(plan.agreedOn);
    for (const a of plan.agreements) see(a.agreedOn);
    for (const goals of [plan.goals, plan.replaced]) {
      for (const goal of goals) {
        see(goal.agreedOn);
        see(goal.lastReviewedOn);
        see(goal.achievedOn);
        for (const r of goal.reviews) see(r.reviewedOn);
      }
    }
  }
  return { first, last };
};

/**
 * The cases a period's figures can count. Every metric counts a case only through one of its
 * dates in the period, or through the case being open across it (no closure), so a closed case
 * whose dates all lie before the period, and a case whose dates all lie after it, count nowhere:
 * left out, a year of a long history costs that year's cases rather than all of them (decision
 * 0044). Every date is looked at, not only the referral's and the closure's: the log does not
 * promise their order. A property test holds every metric to it (the figures with and without
 * are equal), so a metric that counts otherwise fails it.
 */
export const casesRelevantTo = (cases: readonly CaseFacts[], { from, to }: Period): CaseFacts[] =>
  cases.filter((c) => {
    // Most cases of a period are decided by their referral and closure alone; only a case those put
    // outside it has every date looked at.
    if (c.receivedOn <= to && (c.closure === null || c.closure.closedOn >= from)) return true;
    const { first, last } = spanOf(c);
    return first <= to && (last >= from || c.closure === null);
  });

/** The blocks of some cases, for all of them and for those with children. */
interface Figures {
  readonly all: RawBlocks;
  readonly withChildren: RawBlocks;
}

const figuresOf = (cases: readonly CaseFacts[], ctx: MetricContext): Figures => {
  const relevant = casesRelevantTo(cases, ctx);
  return {
    all: computeBlocks(relevant, ctx),
    withChildren: computeBlocks(
      relevant.filter((c) => c.withChildren),
      ctx,
    ),
  };
};

/**
 * The figures of the facts' cases: from the segments' kept figures where the facts have segments
 * (a live collector's, decision 0047), else in one pass. The key holds what a segment's figures
 * depend on besides its cases: the period and the date of asOf (the repeat windows complete by then).
 */
const figuresOfFacts = (facts: Facts, ctx: MetricContext): Figures => {
  const summed =
    facts.segments &&
    sumOfSegments(facts.segments, `${ctx.from} ${ctx.to} ${ctx.asOfDate}`, figuresOf([], ctx), (cases) => figuresOf(cases, ctx));
  return summed || figuresOf(facts.cases, ctx);
};

export const computeStatistics = (facts: Facts, request: StatisticsRequest): RawStatistics => {
  const ctx = metricContext(facts, request);
  const { all, withChildren } = figuresOfFacts(facts, ctx);
  return {
    period: { from: request.from, to: request.to },
    asOf: request.asOf,
    ...all,
    withChildren,
    activities: computeActivities(facts.activities, request),
  };
};
