import fc from 'fast-check';
import { median, mergedMedian, type RawMedian } from './raw';

/** The definition: sort, take the middle value or the mean of the two middle ones. */
const bySorting = (values: readonly number[]): number | null => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? null : sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// days between two dates: integers, negative when the log has them out of order, many alike
const days = fc.array(fc.integer({ min: -40, max: 400 }), { maxLength: 300 });

describe('median: by selection, not by sorting', () => {
  it('is the middle value (or the mean of the two) of any list, with its count', () => {
    fc.assert(
      fc.property(days, (values) => {
        expect(median(values)).toEqual({ kind: 'median', count: values.length, value: bySorting(values) });
      }),
      { numRuns: 500 },
    );
  });

  it('merged, the medians of parts are the median of all their values (decision 0047)', () => {
    fc.assert(
      fc.property(fc.array(days, { maxLength: 12 }), (parts) => {
        const medians = parts.map(median);
        const all = parts.flat();
        expect(mergedMedian(medians)).toEqual({ kind: 'median', count: all.length, value: bySorting(all) });
        // merging leaves the parts as they were: they can be merged again
        expect(mergedMedian([mergedMedian(medians), median([])]).value).toBe(bySorting(all));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses to merge a median it did not make (one that crossed a thread has no values)', () => {
    const crossed: RawMedian = structuredClone(median([1, 2, 3]));
    expect(() => mergedMedian([crossed])).toThrow(/median\(\)/);
  });
});
