import type { Metric } from './metric';
import { METRICS, type RawBlocks } from './metrics/registry';
import { isRawMedian, isRawShare, type Period, type RawMedian, type RawShare } from './raw';
import type { RawStatistics } from './statistics';

/** Smallest count published as a number (DOMAIN.md: 1–4 is "<5"). */
export const MIN_PUBLISHED = 5;

export type PublishedCount = number | '<5' | 'suppressed';
/** The published form of a raw figure: counts may be hidden, shares and medians may be null. */
export type Published<T> = T extends number
  ? PublishedCount
  : T extends RawShare | RawMedian
    ? number | null
    : { readonly [K in keyof T]: Published<T[K]> };

export type StatisticsBlocks = Published<RawBlocks>;
/** API.md's statistics answer. */
export type Statistics = { readonly period: Period; readonly asOf: string } & StatisticsBlocks & {
  readonly withChildren: StatisticsBlocks;
};

const isSmall = (n: number): boolean => n >= 1 && n < MIN_PUBLISHED;

export const publishCount = (n: number): PublishedCount => (isSmall(n) ? '<5' : n);
export const publishShare = ({ numerator, denominator, value }: RawShare): number | null =>
  denominator < MIN_PUBLISHED || isSmall(numerator) ? null : value;
export const publishMedian = ({ count, value }: RawMedian): number | null => (count < MIN_PUBLISHED ? null : value);

const publish = (value: unknown): unknown => {
  if (typeof value === 'number') return publishCount(value);
  if (isRawShare(value)) return publishShare(value);
  if (isRawMedian(value)) return publishMedian(value);
  return Object.fromEntries(Object.entries(value as object).map(([key, inner]) => [key, publish(inner)]));
};

const hiddenCells = (cells: Record<string, PublishedCount>): number => Object.values(cells).filter((v) => typeof v === 'string').length;

/**
 * Publishes a breakdown whose cells add up to a published total. A single hidden cell could be
 * recomputed as total − the other cells, so the next smallest non-zero published cell is hidden
 * too ("suppressed"; ties: the first in code order). Two hidden cells in one sum cannot be told
 * apart, so the loop ends after one step; it is written as a loop to state the rule.
 */
export const publishBreakdown = (cells: Readonly<Record<string, number>>, total: number): Record<string, PublishedCount> => {
  const published = Object.fromEntries(Object.entries(cells).map(([code, n]) => [code, publishCount(n)])) as Record<string, PublishedCount>;
  // A hidden or zero total reveals nothing about the cells.
  if (total < MIN_PUBLISHED) return published;
  while (hiddenCells(published) === 1) {
    const next = Object.entries(cells)
      .filter(([code, n]) => n > 0 && typeof published[code] === 'number')
      .sort(([, a], [, b]) => a - b)[0];
    if (!next) break;
    published[next[0]] = 'suppressed';
  }
  return published;
};

const anonymiseBlock = (metric: Metric<string, object>, raw: object): unknown => {
  const published = publish(raw) as Record<string, unknown>;
  const figures = raw as Record<string, unknown>;
  for (const [cells, total] of Object.entries(metric.totals ?? {}) as [string, string][]) {
    published[cells] = publishBreakdown(figures[cells] as Record<string, number>, figures[total] as number);
  }
  return published;
};

const anonymiseBlocks = (raw: RawBlocks): StatisticsBlocks => {
  const metrics = METRICS as readonly Metric<string, object>[];
  const figures = raw as unknown as Record<string, object>;
  return Object.fromEntries(metrics.map((m) => [m.block, anonymiseBlock(m, figures[m.block])])) as unknown as StatisticsBlocks;
};

/** API.md's statistics answer from the raw figures, by DOMAIN.md's anonymisation rules. */
export const anonymise = (raw: RawStatistics): Statistics => {
  const { period, asOf, withChildren, ...blocks } = raw;
  return {
    period: { from: period.from, to: period.to },
    asOf,
    ...anonymiseBlocks(blocks),
    withChildren: anonymiseBlocks(withChildren),
  };
};
