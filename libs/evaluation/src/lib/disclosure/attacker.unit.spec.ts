import fc from 'fast-check';
import { UNBOUNDED, copyBounds, otherValueWitness, propagate, watchLists, type Bounds, type Constraint } from './attacker';

/** A breakdown `cells` summing to a total (the last unknown); `known` says what is published of each. */
type Published = number | '<5' | 'suppressed';
const breakdown = (cells: readonly number[]) => {
  const truth = [...cells, cells.reduce((a, b) => a + b, 0)];
  const sum: Constraint = { terms: truth.map((_, v) => ({ v, c: v < cells.length ? 1 : -1 })), op: 'eq', rhs: 0 };
  return { truth, constraints: [sum] };
};
const boundsOf = (published: readonly Published[]): Bounds => ({
  lo: Float64Array.from(published, (p) => (typeof p === 'number' ? p : p === '<5' ? 1 : 0)),
  hi: Float64Array.from(published, (p) => (typeof p === 'number' ? p : p === '<5' ? 4 : UNBOUNDED)),
});
const pinned = (truth: readonly number[], constraints: Constraint[], published: readonly Published[], v: number): boolean => {
  const bounds = boundsOf(published);
  const watch = watchLists(truth.length, constraints);
  if (!propagate(bounds, constraints, watch)) throw new Error('the truth breaks the identities');
  return otherValueWitness(bounds, constraints, watch, truth, v) === null;
};

describe('the attacker: bounds propagated to a fixpoint', () => {
  it('a = 10, b = 1, c = 1, d = 0, total 12: b + c = 2 pins both', () => {
    const { constraints } = breakdown([10, 1, 1, 0]);
    const bounds = boundsOf([10, '<5', '<5', 0, 12]);
    expect(propagate(bounds, constraints, watchLists(5, constraints))).toBe(true);
    expect([bounds.lo[1], bounds.hi[1], bounds.lo[2], bounds.hi[2]]).toEqual([1, 1, 1, 1]);
  });

  it('a = 10, b = 4, c = 4, total 18: b + c = 8 pins both to 4', () => {
    const { constraints } = breakdown([10, 4, 4]);
    const bounds = boundsOf([10, '<5', '<5', 18]);
    propagate(bounds, constraints, watchLists(4, constraints));
    expect([bounds.lo[1], bounds.hi[1]]).toEqual([4, 4]);
  });

  it('a suppressed total leaves both open', () => {
    const { truth, constraints } = breakdown([10, 1, 1, 0]);
    expect(pinned(truth, constraints, [10, '<5', '<5', 0, 'suppressed'], 1)).toBe(false);
  });

  it('reports a system the true figures break', () => {
    const { constraints } = breakdown([3, 3]);
    expect(propagate(boundsOf([3, 3, 7]), constraints, watchLists(3, constraints))).toBe(false);
  });
});

describe('the witness search finds what a whole-number search over every assignment finds', () => {
  // Small random systems: two breakdowns sharing cells (a two-way table: rows and columns sum to
  // their totals), cells 0–7, each published, "<5" or suppressed. The brute force tries every
  // assignment of the hidden cells; both must agree on whether each "<5" cell is pinned.
  const system = fc.record({
    cells: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 4, maxLength: 4 }),
    hide: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  });
  it('on random 2×2 tables with margins', () => {
    fc.assert(
      fc.property(system, ({ cells, hide }) => {
        const [a, b, c, d] = cells;
        // unknowns: a b c d, row totals a+b, c+d, column totals a+c, b+d
        const truth = [a, b, c, d, a + b, c + d, a + c, b + d];
        const sum = (parts: number[], total: number): Constraint => ({
          terms: [...parts.map((v) => ({ v, c: 1 })), { v: total, c: -1 }],
          op: 'eq',
          rhs: 0,
        });
        const constraints = [sum([0, 1], 4), sum([2, 3], 5), sum([0, 2], 6), sum([1, 3], 7)];
        const published: Published[] = truth.map((t, v) => (t >= 1 && t <= 4 ? '<5' : hide[v] ? 'suppressed' : t));
        const hidden = published.flatMap((p, v) => (typeof p === 'number' ? [] : [v]));
        const fits = (p: Published, value: number) => (typeof p === 'number' ? p === value : p === '<5' ? value >= 1 && value <= 4 : true);
        const range = (v: number) =>
          typeof published[v] === 'number' ? [truth[v]] : published[v] === '<5' ? [1, 2, 3, 4] : Array.from({ length: 16 }, (_, i) => i);
        // every assignment of the inner cells; the margins follow from them
        const seen = new Map<number, Set<number>>(hidden.map((v) => [v, new Set<number>()]));
        for (const xa of range(0))
          for (const xb of range(1))
            for (const xc of range(2))
              for (const xd of range(3)) {
                const x = [xa, xb, xc, xd, xa + xb, xc + xd, xa + xc, xb + xd];
                if (x.every((value, v) => fits(published[v], value))) hidden.forEach((v) => seen.get(v)?.add(x[v]));
              }
        for (const v of hidden.filter((h) => published[h] === '<5')) {
          expect(pinned(truth, constraints, published, v)).toBe((seen.get(v)?.size ?? 0) <= 1);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the witness search agrees with the brute force on multi-valued breakdowns (each cell at most its total)', () => {
  // One breakdown with two cells that need not add up to the total (a visit may name both concerns,
  // or none), in two scopes: with children (published) and without (never published: all − with),
  // each cell at most its total in every scope. Unknowns: all t a b, with t1 a1 b1, without t2 a2 b2.
  const system = fc.record({
    total: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
    cells: fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), { minLength: 2, maxLength: 2 }),
    hide: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  });
  it('on random small tables', () => {
    fc.assert(
      fc.property(system, ({ total: [t1, t2], cells, hide }) => {
        const [[a1, a2], [b1, b2]] = cells.map(([x1, x2]) => [Math.min(x1, t1), Math.min(x2, t2)]);
        const truth = [t1 + t2, a1 + a2, b1 + b2, t1, a1, b1, t2, a2, b2];
        const sum = (all: number, withC: number, without: number): Constraint => ({
          terms: [
            { v: all, c: 1 },
            { v: withC, c: -1 },
            { v: without, c: -1 },
          ],
          op: 'eq',
          rhs: 0,
        });
        const atMost = (cell: number, total: number): Constraint => ({
          terms: [
            { v: cell, c: 1 },
            { v: total, c: -1 },
          ],
          op: 'le',
          rhs: 0,
        });
        const constraints = [sum(0, 3, 6), sum(1, 4, 7), sum(2, 5, 8), ...[0, 3, 6].flatMap((t) => [atMost(t + 1, t), atMost(t + 2, t)])];
        // the six published figures; the three without children are never published
        const published: Published[] = truth.map((t, v) => (v >= 6 ? 'suppressed' : t >= 1 && t <= 4 ? '<5' : hide[v] ? 'suppressed' : t));
        const fits = (p: Published, value: number) => (typeof p === 'number' ? p === value : p === '<5' ? value >= 1 && value <= 4 : true);
        const range = (v: number) =>
          typeof published[v] === 'number' ? [truth[v]] : published[v] === '<5' ? [1, 2, 3, 4] : Array.from({ length: 13 }, (_, i) => i);
        const protectedCells = truth.flatMap((t, v) => (t >= 1 && t <= 4 ? [v] : []));
        const seen = new Map<number, Set<number>>(protectedCells.map((v) => [v, new Set<number>()]));
        // every assignment of all and with children; without children follows, and must be a count
        for (const t of range(0))
          for (const x1 of range(3))
            for (const a of range(1))
              for (const y1 of range(4))
                for (const b of range(2))
                  for (const z1 of range(5)) {
                    const x = [t, a, b, x1, y1, z1, t - x1, a - y1, b - z1];
                    if (x.some((value) => value < 0)) continue;
                    if (!constraints.every((k) => k.terms.reduce((acc, { v, c }) => acc + c * x[v], 0) <= k.rhs)) continue;
                    if (x.every((value, v) => fits(published[v], value))) protectedCells.forEach((v) => seen.get(v)?.add(x[v]));
                  }
        for (const v of protectedCells) {
          expect([v, pinned(truth, constraints, published, v)]).toEqual([v, (seen.get(v)?.size ?? 0) <= 1]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the witness search', () => {
  it('gives a solution that differs from the truth in the asked cell and satisfies every identity', () => {
    const { truth, constraints } = breakdown([10, 1, 3, 0]);
    const bounds = boundsOf([10, '<5', '<5', 0, 14]);
    const witness = otherValueWitness(copyBounds(bounds), constraints, watchLists(5, constraints), truth, 1);
    expect(witness).not.toBeNull();
    const [a, b, c, d, total] = witness as Float64Array;
    expect(b).not.toBe(1);
    expect(a + b + c + d).toBe(total);
    expect([a, d, total]).toEqual([10, 0, 14]);
  });

  it('counts a search that runs out of budget as pinned (the safe side)', () => {
    const { truth, constraints } = breakdown([10, 1, 3, 0]);
    const bounds = boundsOf([10, '<5', '<5', 0, 14]);
    expect(otherValueWitness(bounds, constraints, watchLists(5, constraints), truth, 1, 1)).toBeNull();
  });
});
