import type { ActivityFigures } from './activities/activities';
import type { Identity } from './disclosure/identities';
import { DisclosureRiskError, protect, type Protection } from './disclosure/protect';
import {
  MIN_PUBLISHED,
  auditFigures,
  shareRuleAllows,
  buildTable,
  isSmall,
  walkAnswer,
  type Answer,
  type PublishedFigure,
  type PublishedFigures,
} from './disclosure/table';
import { METRICS, type RawBlocks } from './metrics/registry';
import { isRawMedian, isRawShare, type Period, type RawMedian, type RawShare } from './raw';
import type { RawStatistics } from './statistics';

export { MIN_PUBLISHED, DisclosureRiskError };

export type PublishedCount = number | '<5' | 'suppressed';
/** The published form of a raw figure: counts may be hidden, shares and medians may be null. */
export type Published<T> = T extends number
  ? PublishedCount
  : T extends RawShare | RawMedian
    ? number | null
    : { readonly [K in keyof T]: Published<T[K]> };

export type StatisticsBlocks = Published<RawBlocks>;
/** API.md's statistics answer; the activities beyond single cases as they are (decision 0024). */
export type Statistics = { readonly period: Period; readonly asOf: string } & StatisticsBlocks & {
    readonly withChildren: StatisticsBlocks;
    readonly activities: ActivityFigures;
  };

export const publishCount = (n: number): PublishedCount => (isSmall(n) ? '<5' : n);
export const publishShare = (share: RawShare): number | null => (shareRuleAllows(share) ? share.value : null);
export const publishMedian = ({ count, value }: RawMedian): number | null => (count < MIN_PUBLISHED ? null : value);

/**
 * Protects the answers of one publication together (primary and secondary suppression), then
 * audits the result once more as the attacker would: what fails the audit does not go out.
 */
export function protectAnswers(answers: readonly Answer[], across: readonly Identity[] = []): Protection {
  const table = buildTable(answers, across);
  const protection = protect(table);
  const problems = auditFigures(table, protection.published);
  if (problems.length > 0) throw new DisclosureRiskError(problems);
  return protection;
}

/** The published form of one answer of a protected publication. */
export function publishedAnswer(answer: Answer, figures: PublishedFigures): Statistics {
  const { period, asOf, withChildren, activities, ...blocks } = answer.raw;
  const publish = (value: unknown, path: string): unknown =>
    typeof value === 'number' || isRawShare(value) || isRawMedian(value)
      ? figures.get(path)
      : Object.fromEntries(Object.entries(value as object).map(([key, inner]) => [key, publish(inner, `${path}.${key}`)]));
  const scope = (raw: RawBlocks, name: string): StatisticsBlocks =>
    Object.fromEntries(
      METRICS.map(({ block }) => [block, publish(raw[block], `${answer.prefix}${name}.${block}`)]),
    ) as unknown as StatisticsBlocks;
  return {
    period: { from: period.from, to: period.to },
    asOf,
    ...scope(blocks, 'all'),
    withChildren: scope(withChildren, 'withChildren'),
    // Counts of staff work, not of households: outside the audit (OUTSIDE_THE_AUDIT), published as they are.
    activities,
  };
}

/** The audit of a published statistics answer against its raw figures: what it gives away (empty: nothing). */
export const auditStatistics = (raw: RawStatistics, published: Statistics): string[] => {
  const answer = { prefix: '', raw };
  return auditFigures(buildTable([answer]), figuresOfAnswer(answer, published));
};

/** The published figures of an answer by path, as the audit reads them. */
export function figuresOfAnswer(answer: Answer, published: Statistics): Map<string, PublishedFigure> {
  const figures = new Map<string, PublishedFigure>();
  const lookup = (path: string): PublishedFigure => {
    const [scope, ...rest] = path.slice(answer.prefix.length).split('.');
    const root: unknown = scope === 'all' ? published : published.withChildren;
    return rest.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], root) as PublishedFigure;
  };
  walkAnswer(answer, (path) => figures.set(path, lookup(path) ?? null));
  return figures;
}

/** API.md's statistics answer from the raw figures, by DOMAIN.md's anonymisation rules. */
export const anonymise = (raw: RawStatistics): Statistics => {
  const answer = { prefix: '', raw };
  return publishedAnswer(answer, protectAnswers([answer]).published);
};
