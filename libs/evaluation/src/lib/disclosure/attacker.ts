/**
 * The attacker of DOMAIN.md's audit, on a system of linear identities over non-negative integer
 * unknowns: what one published answer lets anyone work out about each hidden count.
 *
 * Two tools, both exact in what they claim:
 * - bound propagation to a fixpoint (DOMAIN.md's "integer bounds propagated to a fixpoint"): a
 *   cell whose bounds close to one value is pinned;
 * - a witness search: a hidden count is safe only when a second whole-number assignment exists
 *   that satisfies every identity and every published figure and gives that count another value.
 *   This is stronger than propagation or a linear relaxation (it finds what an integer
 *   programme would), and it errs on the safe side: a search that runs out of budget counts as
 *   pinned.
 */

export interface Term {
  /** Index of the unknown. */
  readonly v: number;
  /** Whole-number coefficient. */
  readonly c: number;
}

/** Σ c·x = rhs ('eq') or Σ c·x ≤ rhs ('le'). */
export interface Constraint {
  readonly terms: readonly Term[];
  readonly op: 'eq' | 'le';
  readonly rhs: number;
}

/** Upper bound for a count nobody published (a count is never near it; keeps arithmetic exact). */
export const UNBOUNDED = 1e9;

export interface Bounds {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

export const copyBounds = ({ lo, hi }: Bounds): Bounds => ({ lo: Float64Array.from(lo), hi: Float64Array.from(hi) });

/** Which constraints mention each unknown, to wake only those when a bound moves. */
export const watchLists = (n: number, constraints: readonly Constraint[]): number[][] => {
  const watch: number[][] = Array.from({ length: n }, () => []);
  constraints.forEach((k, index) => k.terms.forEach(({ v }) => watch[v].push(index)));
  return watch;
};

/**
 * Tightens the bounds in place until nothing changes; false when the system has no solution
 * within them. Bounds consistency on linear constraints: each term's range is cut to what the
 * other terms' ranges leave.
 */
export function propagate(
  bounds: Bounds,
  constraints: readonly Constraint[],
  watch: readonly number[][],
  changed?: readonly number[],
): boolean {
  const { lo, hi } = bounds;
  // From a fixpoint, only the constraints of the changed unknowns can move anything.
  const queued = new Uint8Array(constraints.length);
  const queue: number[] = [];
  const wake = (k: number) => {
    if (!queued[k]) {
      queued[k] = 1;
      queue.push(k);
    }
  };
  if (changed) for (const v of changed) watch[v].forEach(wake);
  else constraints.forEach((_, k) => wake(k));
  const tighten = (v: number, newLo: number, newHi: number): boolean => {
    if (newLo > lo[v] || newHi < hi[v]) {
      if (newLo > lo[v]) lo[v] = newLo;
      if (newHi < hi[v]) hi[v] = newHi;
      watch[v].forEach(wake);
    }
    return lo[v] <= hi[v];
  };
  while (queue.length > 0) {
    const index = queue.pop() as number;
    queued[index] = 0;
    const { terms, op, rhs } = constraints[index];
    let min = 0;
    let max = 0;
    for (const { v, c } of terms) {
      min += c > 0 ? c * lo[v] : c * hi[v];
      max += c > 0 ? c * hi[v] : c * lo[v];
    }
    if (min > rhs || (op === 'eq' && max < rhs)) return false;
    for (const { v, c } of terms) {
      const termMin = c > 0 ? c * lo[v] : c * hi[v];
      const termMax = c > 0 ? c * hi[v] : c * lo[v];
      // c·x ≤ rhs − (min of the others); for 'eq' also c·x ≥ rhs − (max of the others)
      const upper = rhs - (min - termMin);
      const lower = op === 'eq' ? rhs - (max - termMax) : -Infinity;
      const [newLo, newHi] = c > 0 ? [Math.ceil(lower / c), Math.floor(upper / c)] : [Math.ceil(upper / c), Math.floor(lower / c)];
      if (!tighten(v, Math.max(lo[v], newLo), Math.min(hi[v], newHi))) return false;
    }
  }
  return true;
}

class OutOfBudget extends Error {}

/**
 * A whole-number solution within the bounds, found by depth-first search with propagation.
 * Values closest to `near` are tried first (the true figures), so a witness that differs from the
 * truth in a few cells is found in few steps. `rank` orders the branching: lower first, then the
 * narrowest range. Null: no solution, or the budget ran out.
 */
export function findSolution(
  start: Bounds,
  constraints: readonly Constraint[],
  watch: readonly number[][],
  near: ArrayLike<number>,
  budget = 20_000,
  rank?: ArrayLike<number>,
): Float64Array | null {
  let nodes = 0;
  const search = (bounds: Bounds, changed?: number[]): Float64Array | null => {
    if (++nodes > budget) throw new OutOfBudget();
    if (!propagate(bounds, constraints, watch, changed)) return null;
    const { lo, hi } = bounds;
    let pick = -1;
    for (let v = 0; v < lo.length; v++) {
      if (lo[v] >= hi[v]) continue;
      const before = pick < 0 || (rank ? rank[v] - rank[pick] : 0) || hi[v] - lo[v] - (hi[pick] - lo[pick]);
      if (before === true || before < 0) pick = v;
    }
    if (pick < 0) return Float64Array.from(lo);
    const t = Math.min(Math.max(Math.round(near[pick]), lo[pick]), hi[pick]);
    // [t, t] first, then the rest below and above: the three parts cover the range, so the search is complete.
    const parts: [number, number][] = [
      [t, t],
      [lo[pick], t - 1],
      [t + 1, hi[pick]],
    ];
    for (const [from, to] of parts) {
      if (from > to) continue;
      const next = copyBounds(bounds);
      next.lo[pick] = from;
      next.hi[pick] = to;
      const found = search(next, [pick]);
      if (found) return found;
    }
    return null;
  };
  try {
    return search(copyBounds(start));
  } catch (error) {
    if (error instanceof OutOfBudget) return null;
    throw error;
  }
}

/** Whether a full assignment satisfies every constraint and lies within the bounds. */
export const satisfies = (x: ArrayLike<number>, { lo, hi }: Bounds, constraints: readonly Constraint[]): boolean => {
  for (let v = 0; v < lo.length; v++) if (x[v] < lo[v] || x[v] > hi[v]) return false;
  return constraints.every(({ terms, op, rhs }) => {
    const sum = terms.reduce((s, { v, c }) => s + c * x[v], 0);
    return op === 'eq' ? sum === rhs : sum <= rhs;
  });
};

/**
 * Hops from `from` to every unknown through identities and cells still open in `bounds`; cells
 * it cannot reach rank last. The witness search branches on the nearest cells first: a change of
 * one cell is made up by its neighbours, while the cells far off keep their true values (always
 * a solution there). Branching on the narrowest cell anywhere instead let a conflict next to the
 * target be found only under decisions on unrelated cells, and the search spent its whole budget
 * undoing those (a true witness of four changed cells was not found in five million steps).
 */
export function hopsThroughOpenCells(
  bounds: Bounds,
  constraints: readonly Constraint[],
  watch: readonly number[][],
  from: number,
): Int32Array {
  const { lo, hi } = bounds;
  const far = lo.length + 1;
  const hops = new Int32Array(lo.length).fill(far);
  hops[from] = 0;
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (const k of watch[v]) {
      for (const { v: next } of constraints[k].terms) {
        if (hops[next] === far && lo[next] < hi[next]) {
          hops[next] = hops[v] + 1;
          queue.push(next);
        }
      }
    }
  }
  return hops;
}

/**
 * A solution in which unknown `v` differs from `truth[v]`: the proof that the attacker cannot pin
 * it. Null when the published figures pin it (or the search could not tell: treated as pinned).
 */
export function otherValueWitness(
  knowledge: Bounds,
  constraints: readonly Constraint[],
  watch: readonly number[][],
  truth: ArrayLike<number>,
  v: number,
  budget?: number,
): Float64Array | null {
  const t = truth[v];
  const rank = hopsThroughOpenCells(knowledge, constraints, watch, v);
  for (const [from, to] of [
    [knowledge.lo[v], t - 1],
    [t + 1, knowledge.hi[v]],
  ] as const) {
    if (from > to) continue;
    const bounds = copyBounds(knowledge);
    bounds.lo[v] = from;
    bounds.hi[v] = to;
    const found = findSolution(bounds, constraints, watch, truth, budget, rank);
    if (found) return found;
  }
  return null;
}
