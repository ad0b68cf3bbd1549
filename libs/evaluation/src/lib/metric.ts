import type { CalendarDate } from '@wih/domain';
import type { CaseFacts, HouseholdIndex } from './facts';
import type { Period } from './raw';

export interface MetricContext extends Period {
  /** The calendar date of `asOf` in Europe/Berlin. */
  readonly asOfDate: CalendarDate;
  /** Every household's referrals known at asOf, whatever the case selection (repeat cases). */
  readonly households: HouseholdIndex;
}

/**
 * One block of the statistics, as a pure reducer over the cases. `totals` names the breakdowns
 * of the block that add up to a published total of the same block (breakdown field → total
 * field): anonymisation needs them for secondary suppression. `subsets` names the multi-valued
 * breakdowns (several codes per item, maybe none): each cell counts the items of the total that
 * name its code, so each cell is at most the total and the cells need not add up to it.
 */
export interface Metric<Block extends string, Value extends object> {
  readonly block: Block;
  readonly compute: (cases: readonly CaseFacts[], ctx: MetricContext) => Value;
  readonly totals?: Readonly<Partial<Record<keyof NoInfer<Value> & string, keyof NoInfer<Value> & string>>>;
  readonly subsets?: Readonly<Partial<Record<keyof NoInfer<Value> & string, keyof NoInfer<Value> & string>>>;
}

/** Keeps the block name a literal type, so the statistics' shape follows from the registry. */
export const defineMetric = <Block extends string, Value extends object>(metric: Metric<Block, Value>): Metric<Block, Value> => metric;
