import type { CaseFacts, FactSegment } from './facts';
import { isRawMedian, isRawShare, mergedMedian, share, type RawMedian } from './raw';

/**
 * A segment's figures laid out flat, in the order of a template of the same shape: every count,
 * and each share as its numerator and denominator, in one array; the medians beside it (their
 * values are merged, not added). Adding two such arrays adds the figures they stand for.
 */
interface Flat {
  readonly numbers: Float64Array;
  readonly medians: readonly RawMedian[];
}

/** Lays `value` out in `template`'s order; false when its shape differs (a breakdown cell of a code unknown to this version). */
const flatten = (template: unknown, value: unknown, numbers: number[], medians: RawMedian[]): boolean => {
  if (typeof template === 'number') {
    if (typeof value !== 'number') return false;
    numbers.push(value);
    return true;
  }
  if (isRawShare(template)) {
    if (!isRawShare(value)) return false;
    numbers.push(value.numerator, value.denominator);
    return true;
  }
  if (isRawMedian(template)) {
    if (!isRawMedian(value)) return false;
    medians.push(value);
    return true;
  }
  if (typeof template !== 'object' || template === null) throw new TypeError(`a figure that does not add up: ${String(template)}`);
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(template);
  if (Object.keys(value).length !== keys.length) return false;
  for (const key of keys) {
    if (!flatten((template as Record<string, unknown>)[key], (value as Record<string, unknown>)[key], numbers, medians)) return false;
  }
  return true;
};

/** The figures `template`'s shape stands for, read from the summed numbers and the medians' parts. */
const unflatten = (template: unknown, numbers: Float64Array, medians: readonly RawMedian[][], at: { n: number; m: number }): unknown => {
  if (typeof template === 'number') return numbers[at.n++];
  if (isRawShare(template)) {
    const numerator = numbers[at.n++];
    const denominator = numbers[at.n++];
    return share(numerator, denominator);
  }
  if (isRawMedian(template)) return mergedMedian(medians[at.m++]);
  return Object.fromEntries(
    Object.keys(template as object).map((key) => [key, unflatten((template as Record<string, unknown>)[key], numbers, medians, at)]),
  );
};

/** Periods a segment keeps figures for (the latest used): a report asks for two, an evaluator looks at a few more. */
const KEPT_PER_SEGMENT = 4;

/**
 * Each segment's figures per period, as long as its version stands (decision 0047). Derived values
 * only, so the statistics stay a function of their arguments; weakly held, so they go when the
 * collector's segments do. `null`: the segment's figures do not have the template's shape.
 */
const kept = new WeakMap<FactSegment, { version: number; byKey: Map<string, Flat | null> }>();

const keptFlat = (segment: FactSegment, key: string, template: object, compute: (cases: readonly CaseFacts[]) => object): Flat | null => {
  let entry = kept.get(segment);
  if (entry === undefined || entry.version !== segment.version) {
    entry = { version: segment.version, byKey: new Map() };
    kept.set(segment, entry);
  }
  let flat = entry.byKey.get(key);
  if (flat === undefined) {
    const numbers: number[] = [];
    const medians: RawMedian[] = [];
    flat = flatten(template, compute(segment.cases), numbers, medians) ? { numbers: Float64Array.from(numbers), medians } : null;
    if (entry.byKey.size >= KEPT_PER_SEGMENT) entry.byKey.delete(entry.byKey.keys().next().value as string);
  } else {
    entry.byKey.delete(key); // kept as the latest used
  }
  entry.byKey.set(key, flat);
  return flat;
};

/**
 * The figures of every segment's cases together: the sum of each segment's figures, computed by
 * `compute` only for the segments changed since they were last asked for under `key` (the period
 * and whatever else they depend on). Every figure counts cases, visits, goals, … one by one, so the
 * figures of disjoint sets of cases add up to those of their union: counts and cells add, shares
 * add numerator and denominator, medians merge their values; the property tests hold the sum to
 * one pass over all the cases. `template` is `compute` of no cases: the figures' shape, and zero;
 * null when a segment's figures have another shape (then compute in one pass instead).
 */
export const sumOfSegments = <F extends object>(
  segments: readonly FactSegment[],
  key: string,
  template: F,
  compute: (cases: readonly CaseFacts[]) => F,
): F | null => {
  // The template is the figures of no cases: zero everywhere, the start of the sum.
  const start: number[] = [];
  const startMedians: RawMedian[] = [];
  flatten(template, template, start, startMedians);
  const numbers = Float64Array.from(start);
  const medians: RawMedian[][] = startMedians.map(() => []);
  for (const segment of segments) {
    if (segment.cases.length === 0) continue; // adds nothing
    const flat = keptFlat(segment, key, template, compute);
    if (flat === null) return null;
    for (let i = 0; i < numbers.length; i++) numbers[i] += flat.numbers[i];
    for (let i = 0; i < medians.length; i++) medians[i].push(flat.medians[i]);
  }
  return unflatten(template, numbers, medians, { n: 0, m: 0 }) as F;
};
