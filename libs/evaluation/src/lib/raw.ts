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

/** Median; for an even count the mean of the two middle values. */
export const median = (values: readonly number[]): RawMedian => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const value = sorted.length === 0 ? null : sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { kind: 'median', count: sorted.length, value };
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
