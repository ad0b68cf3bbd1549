import type { CalendarDate } from '@wih/domain';
import { monthsAfter } from '../calendar';
import type { CaseFacts } from '../facts';
import { defineMetric, type MetricContext } from '../metric';
import { inPeriod, share, type RawShare } from '../raw';

export const REPEAT_WINDOWS = { '6m': 6, '12m': 12, '24m': 24 } as const;
export type RepeatWindow = keyof typeof REPEAT_WINDOWS;

export interface RepeatWindowFigures {
  readonly eligible: number;
  readonly repeated: number;
  readonly share: RawShare;
}

/**
 * Whether the household was referred again within `months` after the case closed: null while the
 * window is not complete at the date of asOf (not eligible), else whether a ReferralReceived has
 * receivedOn in (closedOn, closedOn + months].
 */
export const repeatedWithin = (c: CaseFacts, months: number, ctx: Pick<MetricContext, 'asOfDate' | 'households'>): boolean | null => {
  if (c.closure === null) return null;
  const { closedOn } = c.closure;
  const windowEnd: CalendarDate = monthsAfter(closedOn, months);
  if (windowEnd > ctx.asOfDate) return null;
  return (ctx.households.get(c.householdId) ?? []).some((receivedOn) => receivedOn > closedOn && receivedOn <= windowEnd);
};

/** Sustainability (after HUD SPM 2): cohort = cases closed in the period that had HousingSecured. */
export const repeatCasesMetric = defineMetric({
  block: 'repeatCases',
  compute: (cases, ctx) => {
    const cohort = cases.filter((c) => c.housingSecured !== null && inPeriod(c.closure?.closedOn, ctx));
    const figures = (months: number): RepeatWindowFigures => {
      const outcomes = cohort.map((c) => repeatedWithin(c, months, ctx)).filter((r): r is boolean => r !== null);
      const repeated = outcomes.filter(Boolean).length;
      return { eligible: outcomes.length, repeated, share: share(repeated, outcomes.length) };
    };
    return { '6m': figures(REPEAT_WINDOWS['6m']), '12m': figures(REPEAT_WINDOWS['12m']), '24m': figures(REPEAT_WINDOWS['24m']) };
  },
});
