import type { CalendarDate } from '@wih/domain';

/**
 * Raw figures, before anonymisation. Shares and medians keep what they rest on (numerator and
 * denominator, number of values), because the publication rules depend on it.
 */
export interface RawShare {
  readonly kind: 'share';
  readonly numerator: number;
  readonly denominator: number;
  /** numerator / denominator; null when there is nothing to divide by. */
  readonly value: number | null;
}
export interface RawMedian {
  readonly kind: 'median';
  /** How many values the median rests on. */
  readonly count: number;
  readonly value: number | null;
}
export type Breakdown<Code extends string> = Record<Code, number>;

export interface Period {
  readonly from: CalendarDate;
  readonly to: CalendarDate;
}

export const inPeriod = (date: CalendarDate | null | undefined, { from, to }: Period): date is CalendarDate =>
  date != null && date >= from && date <= to;

export const share = (numerator: number, denominator: number): RawShare => ({
  kind: 'share',
  numerator,
  denominator,
  value: denominator === 0 ? null : numerator / denominator,
});

/**
 * The values each median rests on, so that the medians of parts can be merged into the median of
 * the whole (decision 0047). Kept beside the figure rather than in it: a raw figure crosses threads
 * and reaches the audit, which need only the count and the value.
 */
const medianValues = new WeakMap<RawMedian, Float64Array>();

/**
 * The k-th smallest of `values` (0-based), reordering them so that every value before k is at most
 * it (Hoare's selection: expected linear time; a merged median rests on tens of thousands of values,
 * whose sorting was most of an answer's time).
 */
const select = (values: Float64Array, k: number): number => {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i++] = values[j];
        values[j--] = swap;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break; // between j and i every value is the pivot
  }
  return values[k];
};

/** The median of values the figure takes over (reordered, never copied again). */
const medianOf = (values: Float64Array): RawMedian => {
  const count = values.length;
  const mid = count >> 1;
  let value: number | null = null;
  if (count > 0) {
    const upper = select(values, mid);
    if (count % 2 === 1) value = upper;
    else {
      // every value before mid is at most the upper middle: the lower middle is the largest of them
      let lower = values[0];
      for (let i = 1; i < mid; i++) if (values[i] > lower) lower = values[i];
      value = (lower + upper) / 2;
    }
  }
  const figure: RawMedian = { kind: 'median', count, value };
  medianValues.set(figure, values);
  return figure;
};

/** Median; for an even count the mean of the two middle values. */
export const median = (values: readonly number[]): RawMedian => medianOf(Float64Array.from(values));

/** The median of all the values the given medians rest on (each made by `median` in this thread). */
export const mergedMedian = (parts: readonly RawMedian[]): RawMedian => {
  const values = parts.map((part) => {
    const known = medianValues.get(part);
    if (known === undefined) throw new Error('a median to merge must be made by median() in this thread');
    return known;
  });
  const all = new Float64Array(values.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of values) {
    all.set(v, at);
    at += v.length;
  }
  return medianOf(all);
};

/** Counts per code; every code of the enumeration is listed (0 when none), so the shape is stable. */
export const breakdown = <Code extends string>(codes: readonly Code[], values: Iterable<Code>): Breakdown<Code> => {
  const counts = Object.fromEntries(codes.map((code) => [code, 0])) as Breakdown<Code>;
  // `?? 0`: a code unknown to this version still counts, so the cells keep summing to the total.
  for (const code of values) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
};

export const isRawShare = (value: unknown): value is RawShare =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'share';
export const isRawMedian = (value: unknown): value is RawMedian =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'median';
