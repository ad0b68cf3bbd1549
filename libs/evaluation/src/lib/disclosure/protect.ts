import { MIN_PUBLISHED, auditFigures, isSmall, shareRuleAllows, type PublishedFigure, type PublishedFigures, type Table } from './table';

/** An answer that cannot be protected does not go out (DOMAIN.md): its request fails instead. */
export class DisclosureRiskError extends Error {
  constructor(readonly paths: readonly string[]) {
    super(`the answer cannot be published without disclosing ${paths.join(', ')}`);
    this.name = 'DisclosureRiskError';
  }
}

export interface Protection {
  readonly published: PublishedFigures;
  /** Counts hidden as "suppressed" and shares withheld beyond the primary rules, in the order chosen. */
  readonly secondary: readonly string[];
  /** Counts published as "<5". */
  readonly primary: number;
}

/** Cost of hiding a figure: small cells first, a share before a large cell, a total last. */
const TOTAL_COST = 1e6;
const SHARE_COST = 50;
/** Candidates tried as the cell that frees one pinned cell, before settling for the cheapest. */
const TRIES = 24;

interface State {
  readonly suppressed: Set<number>;
  readonly withheld: Set<number>;
}

/** A share is published when its primary rule allows it and it divides only published counts. */
const shareShown = (table: Table, state: State, s: number): boolean => {
  const { numerator, denominator, raw } = table.shares[s];
  const exact = (v: number) => table.unknowns[v].kind === 'numerator' || (!isSmall(table.truth[v]) && !state.suppressed.has(v));
  return shareRuleAllows(raw) && !state.withheld.has(s) && exact(numerator) && exact(denominator);
};

const figuresOf = (table: Table, state: State): Map<string, PublishedFigure> => {
  const figures = new Map<string, PublishedFigure>();
  table.unknowns.forEach((u, v) => {
    if (u.kind !== 'count') return;
    figures.set(u.path, state.suppressed.has(v) ? 'suppressed' : isSmall(u.truth) ? '<5' : u.truth);
  });
  table.shares.forEach((share, s) => figures.set(share.path, shareShown(table, state, s) ? share.raw.value : null));
  for (const { path, raw } of table.medians) figures.set(path, raw.count < MIN_PUBLISHED ? null : raw.value);
  return figures;
};

type Candidate = { readonly kind: 'cell' | 'share'; readonly at: number; readonly cost: number; readonly distance: number };

/** Hops from `from` to every unknown through the identities (the cells a pin can come through). */
const distancesFrom = (table: Table, from: number): Int32Array => {
  const distance = new Int32Array(table.unknowns.length).fill(-1);
  const byUnknown: number[][] = table.unknowns.map(() => []);
  table.constraints.forEach((k, i) => k.terms.forEach(({ v }) => byUnknown[v].push(i)));
  distance[from] = 0;
  const queue = [from];
  while (queue.length > 0) {
    const v = queue.shift() as number;
    for (const k of byUnknown[v]) {
      for (const { v: next } of table.constraints[k].terms) {
        if (distance[next] < 0) {
          distance[next] = distance[v] + 1;
          queue.push(next);
        }
      }
    }
  }
  return distance;
};

const candidatesFor = (table: Table, state: State, pinned: number): Candidate[] => {
  const distance = distancesFrom(table, pinned);
  const far = table.unknowns.length + 1;
  const hops = (v: number) => (distance[v] < 0 ? far : distance[v]);
  // A "<5" cell may be hidden further as "suppressed" (then it may be 0 too): cheap, and at times the only way.
  const cells: Candidate[] = table.unknowns.flatMap((u, v) =>
    u.kind === 'count' && u.truth > 0 && !state.suppressed.has(v)
      ? [{ kind: 'cell' as const, at: v, cost: u.truth + (u.total ? TOTAL_COST : 0), distance: hops(v) }]
      : [],
  );
  const shares: Candidate[] = table.shares.flatMap((share, s) =>
    shareShown(table, state, s)
      ? [{ kind: 'share' as const, at: s, cost: SHARE_COST, distance: Math.min(hops(share.numerator), hops(share.denominator)) }]
      : [],
  );
  return [...cells, ...shares].sort((a, b) => a.distance - b.distance || a.cost - b.cost || a.at - b.at);
};

const apply = (state: State, c: Candidate, hide: boolean): void => {
  const set = c.kind === 'cell' ? state.suppressed : state.withheld;
  if (hide) set.add(c.at);
  else set.delete(c.at);
};

/**
 * Primary and secondary suppression of one publication. Counts 1–4 are "<5"; then, while the
 * audit pins a "<5" cell, one more figure is hidden: of the figures nearest to it through the
 * identities, the cheapest that frees it (else the cheapest), so small cells go before large
 * ones and totals last. Finally every secondary choice is undone again where the audit still
 * passes without it, so none is hidden needlessly (τ-ARGUS's hypercube method with an audit,
 * made minimal). Deterministic: the same figures give the same publication.
 */
export function protect(table: Table): Protection {
  const state: State = { suppressed: new Set(), withheld: new Set() };
  const chosen: Candidate[] = [];
  const witnesses = new Map<number, Float64Array>();
  const pinnedIn = (figures: PublishedFigures) => auditFigures(table, figures, witnesses);
  // A trial checks only its target, and keeps no witness: one found with more hidden is no proof for less.
  const frees = (target: number) => auditFigures(table, figuresOf(table, state), new Map(), [target]).length === 0;
  for (let pins = pinnedIn(figuresOf(table, state)); pins.length > 0; pins = pinnedIn(figuresOf(table, state))) {
    const target = table.index.get(pins[0]);
    // Only cells can be pinned here: what exposes itself (a small number, a share over a hidden count) is never published.
    if (target === undefined) throw new DisclosureRiskError(pins);
    const candidates = candidatesFor(table, state, target);
    if (candidates.length === 0) throw new DisclosureRiskError(pins);
    const helps = candidates.slice(0, TRIES).find((c) => {
      apply(state, c, true);
      const freed = frees(target);
      apply(state, c, false);
      return freed;
    });
    const pick = helps ?? candidates[0];
    apply(state, pick, true);
    chosen.push(pick);
  }
  // Undo what is not needed, most costly first.
  for (const c of [...chosen].sort((a, b) => b.cost - a.cost)) {
    apply(state, c, false);
    if (pinnedIn(figuresOf(table, state)).length > 0) apply(state, c, true);
  }
  const published = figuresOf(table, state);
  const secondary = chosen
    .filter((c) => (c.kind === 'cell' ? state.suppressed : state.withheld).has(c.at))
    .map((c) => (c.kind === 'cell' ? table.unknowns[c.at].path : table.shares[c.at].path));
  const primary = [...published.values()].filter((f) => f === '<5').length;
  return { published, secondary, primary };
}
