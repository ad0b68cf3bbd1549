import type { Metric } from '../metric';
import { METRICS } from '../metrics/registry';
import { isRawMedian, isRawShare, type RawMedian, type RawShare } from '../raw';
import type { RawStatistics } from '../statistics';
import {
  UNBOUNDED,
  copyBounds,
  otherValueWitness,
  propagate,
  satisfies,
  watchLists,
  type Bounds,
  type Constraint,
  type Term,
} from './attacker';
import { CHILDREN_IDENTITIES, MEDIANS, NUMERATOR, SCOPE_IDENTITIES, SHARES, WITH_CHILDREN_ONLY, type Identity } from './identities';

/** Smallest count published as a number (DOMAIN.md: 1–4 is "<5"). */
export const MIN_PUBLISHED = 5;
export const isSmall = (n: number): boolean => n >= 1 && n < MIN_PUBLISHED;
/**
 * The primary rule of a share: a denominator of at least 5, and neither the numerator nor the
 * complement (10 visits, share 0.8: 2 not met) from 1 to 4.
 */
export const shareRuleAllows = ({ numerator, denominator, value }: RawShare): boolean =>
  value !== null && denominator >= MIN_PUBLISHED && !isSmall(numerator) && !isSmall(denominator - numerator);

/** One answer of a publication: a statistics answer, or one year of the annual report (`prefix` "current."). */
export interface Answer {
  readonly prefix: string;
  readonly raw: RawStatistics;
}

export interface Unknown {
  readonly path: string;
  /**
   * A published count; the unpublished numerator of a share; or a count of households without
   * children (all households minus those with children): never published, but worked out from
   * two published counts, so protected like one.
   */
  readonly kind: 'count' | 'numerator' | 'complement';
  readonly truth: number;
  /** The total of a breakdown: hidden only where nothing else works. */
  readonly total: boolean;
}

export interface ShareFigure {
  readonly path: string;
  readonly numerator: number;
  readonly denominator: number;
  readonly raw: RawShare;
}

export interface MedianFigure {
  readonly path: string;
  readonly counts: readonly number[];
  readonly raw: RawMedian;
}

/** Every figure of a publication as unknowns of the attacker, with the identities between them. */
export interface Table {
  readonly unknowns: readonly Unknown[];
  readonly index: ReadonlyMap<string, number>;
  /** Identities that hold on the true figures (one that a damaged history breaks is left out). */
  readonly constraints: readonly Constraint[];
  readonly shares: readonly ShareFigure[];
  readonly medians: readonly MedianFigure[];
  readonly truth: Float64Array;
}

export type PublishedFigure = number | '<5' | 'suppressed' | null;
/** A publication by path: counts as number, "<5" or "suppressed"; shares and medians as number or null. */
export type PublishedFigures = ReadonlyMap<string, PublishedFigure>;

const SCOPES = ['all', 'withChildren'] as const;
const blocksOf = (raw: RawStatistics, scope: (typeof SCOPES)[number]): Readonly<Record<string, unknown>> =>
  scope === 'all' ? (raw as unknown as Record<string, unknown>) : (raw.withChildren as unknown as Record<string, unknown>);

/**
 * Parts of an answer that count no households and stay out of the audit, published as they are
 * (decision 0024): the activities beyond single cases count staff work, and no household can be
 * found from them. Every other part must be a registered block: a block added to the answer and
 * to neither list is refused here, so it cannot slip past the audit unexamined.
 */
export const OUTSIDE_THE_AUDIT: readonly string[] = ['activities'];
const AUDITED: ReadonlySet<string> = new Set(METRICS.map(({ block }) => block));
const FRAME: Readonly<Record<(typeof SCOPES)[number], ReadonlySet<string>>> = {
  all: new Set(['period', 'asOf', 'withChildren', ...OUTSIDE_THE_AUDIT]),
  withChildren: new Set(),
};

const requireKnownParts = (blocks: Readonly<Record<string, unknown>>, scope: (typeof SCOPES)[number]): void => {
  for (const key of Object.keys(blocks)) {
    if (!AUDITED.has(key) && !FRAME[scope].has(key)) {
      throw new Error(`disclosure control: ${scope}.${key} is neither an audited block nor declared outside the audit`);
    }
  }
};

/** Calls `visit` for every figure of an answer, in the order the answer lists them. */
export function walkAnswer(answer: Answer, visit: (path: string, relative: string, value: number | RawShare | RawMedian) => void): void {
  for (const scope of SCOPES) {
    const blocks = blocksOf(answer.raw, scope);
    requireKnownParts(blocks, scope);
    const walk = (value: unknown, relative: string): void => {
      if (typeof value === 'number' || isRawShare(value) || isRawMedian(value)) {
        visit(`${answer.prefix}${scope}.${relative}`, relative, value);
        return;
      }
      for (const [key, inner] of Object.entries(value as object)) walk(inner, `${relative}.${key}`);
    };
    for (const { block } of METRICS) walk(blocks[block], block);
  }
}

const TOTALS = new Set(
  (METRICS as readonly Metric<string, object>[]).flatMap((m) =>
    [...Object.values(m.totals ?? {}), ...Object.values(m.subsets ?? {})].map((total) => `${m.block}.${total}`),
  ),
);

/** Multi-valued breakdowns as full path prefixes of their cells (`referrals.byThreatCause.`) → their total's relative path. */
const SUBSETS: readonly { readonly cells: string; readonly total: string }[] = (METRICS as readonly Metric<string, object>[]).flatMap((m) =>
  (Object.entries(m.subsets ?? {}) as [string, string][]).map(([cells, total]) => ({
    cells: `${m.block}.${cells}.`,
    total: `${m.block}.${total}`,
  })),
);

/**
 * Builds the attacker's table of one publication. `across` are identities between its answers
 * (full paths), e.g. the caseload at the end of one year is the caseload at the start of the next.
 */
export function buildTable(answers: readonly Answer[], across: readonly Identity[] = []): Table {
  const unknowns: Unknown[] = [];
  const index = new Map<string, number>();
  const shares: ShareFigure[] = [];
  const medianPaths: { path: string; prefix: string; scope: string; relative: string; raw: RawMedian }[] = [];
  const add = (path: string, kind: Unknown['kind'], truth: number, total: boolean): number => {
    index.set(path, unknowns.length);
    unknowns.push({ path, kind, truth, total });
    return unknowns.length - 1;
  };
  const at = (path: string): number => {
    const i = index.get(path);
    if (i === undefined) throw new Error(`disclosure control: no figure ${path}`);
    return i;
  };
  for (const answer of answers) {
    const deferred: (() => void)[] = [];
    walkAnswer(answer, (path, relative, value) => {
      if (typeof value === 'number') add(path, 'count', value, TOTALS.has(relative));
      else if (value.kind === 'share') {
        const declared = SHARES[relative];
        if (!declared) throw new Error(`disclosure control: share ${relative} declares no numerator and denominator`);
        const scopePrefix = path.slice(0, path.length - relative.length);
        const numerator = declared.numerator ?? null;
        if (numerator === null) add(`${path}${NUMERATOR}`, 'numerator', value.numerator, false);
        deferred.push(() =>
          shares.push({
            path,
            raw: value,
            numerator: at(numerator === null ? `${path}${NUMERATOR}` : `${scopePrefix}${numerator}`),
            denominator: at(`${scopePrefix}${declared.denominator}`),
          }),
        );
      } else {
        if (!MEDIANS[relative]) throw new Error(`disclosure control: median ${relative} declares no counts`);
        medianPaths.push({ path, prefix: answer.prefix, scope: path.slice(answer.prefix.length).split('.')[0], relative, raw: value });
      }
    });
    deferred.forEach((run) => run());
  }
  const medians: MedianFigure[] = medianPaths.map(({ path, prefix, scope, relative, raw }) => ({
    path,
    raw,
    counts: MEDIANS[relative].map((count) => at(`${prefix}${scope}.${count}`)),
  }));

  const constraints: Constraint[] = [];
  // A multi-valued breakdown: each cell at most its total, in every scope (also the unpublished
  // one without children, where it does not follow from the other two). Nothing about their sum
  // holds: an item may name no code at all.
  const subsetsIn = (scopePrefix: string): void => {
    for (const { cells, total } of SUBSETS) {
      const of = at(`${scopePrefix}${total}`);
      unknowns.forEach((u, v) => {
        if (u.path.startsWith(`${scopePrefix}${cells}`))
          constraints.push({
            terms: [
              { v, c: 1 },
              { v: of, c: -1 },
            ],
            op: 'le',
            rhs: 0,
          });
      });
    }
  };
  const identity = ({ left, op, right }: Identity, resolve: (path: string) => number): void => {
    const terms: Term[] = [...left.map((p) => ({ v: resolve(p), c: 1 })), ...right.map((p) => ({ v: resolve(p), c: -1 }))];
    constraints.push({ terms, op, rhs: 0 });
  };
  for (const { prefix } of answers) {
    for (const scope of SCOPES) {
      const inScope = (relative: string) => at(`${prefix}${scope}.${relative}`);
      for (const metric of METRICS as readonly Metric<string, object>[]) {
        for (const [cells, total] of Object.entries(metric.totals ?? {}) as [string, string][]) {
          const cellPrefix = `${prefix}${scope}.${metric.block}.${cells}.`;
          const parts = unknowns.flatMap((u, i) => (u.path.startsWith(cellPrefix) ? [i] : []));
          constraints.push({
            terms: [...parts.map((v) => ({ v, c: 1 })), { v: inScope(`${metric.block}.${total}`), c: -1 }],
            op: 'eq',
            rhs: 0,
          });
        }
      }
      for (const rule of [...SCOPE_IDENTITIES, ...(scope === 'withChildren' ? WITH_CHILDREN_ONLY : [])]) identity(rule, inScope);
      subsetsIn(`${prefix}${scope}.`);
    }
    for (const { all, withChildren } of CHILDREN_IDENTITIES) {
      identity({ left: [`${prefix}all.${all}`], op: 'eq', right: [`${prefix}withChildren.${withChildren}`] }, at);
    }
    // all households = with children + without children, figure by figure: the third scope is
    // never published but follows from the other two (and makes each at most the overall one).
    const childrenPrefix = `${prefix}withChildren.`;
    for (const [i, u] of [...unknowns.entries()]) {
      if (!u.path.startsWith(childrenPrefix)) continue;
      const relative = u.path.slice(childrenPrefix.length);
      const overall = index.get(`${prefix}all.${relative}`);
      if (overall === undefined) continue;
      const kind = u.kind === 'count' ? 'complement' : u.kind;
      const without = add(`${prefix}withoutChildren.${relative}`, kind, unknowns[overall].truth - u.truth, false);
      constraints.push({
        terms: [
          { v: overall, c: 1 },
          { v: i, c: -1 },
          { v: without, c: -1 },
        ],
        op: 'eq',
        rhs: 0,
      });
    }
    subsetsIn(`${prefix}withoutChildren.`);
    // The inequalities hold among the households without children too, and do not follow from
    // the other two scopes (a ≤ b and a' ≤ b' say nothing about a − a' ≤ b − b'); the equalities
    // do follow, so they are not repeated.
    const withoutChildren = (relative: string) => index.get(`${prefix}withoutChildren.${relative}`);
    for (const rule of SCOPE_IDENTITIES) {
      if (rule.op !== 'le' || ![...rule.left, ...rule.right].every((path) => withoutChildren(path) !== undefined)) continue;
      identity(rule, (path) => withoutChildren(path) as number);
    }
  }
  for (const rule of across) identity(rule, at);

  const truth = Float64Array.from(unknowns, (u) => u.truth);
  const holds = constraints.filter((k) => satisfies(truth, { lo: truth, hi: truth }, [k]));
  return { unknowns, index, constraints: holds, shares, medians, truth };
}

export interface Knowledge {
  readonly bounds: Bounds;
  readonly constraints: readonly Constraint[];
  readonly watch: readonly number[][];
  /** Published figures that give something away by themselves, whatever the identities. */
  readonly exposed: readonly string[];
}

/** What an attacker knows from a publication: a range per unknown, and the identities. */
export function knowledgeOf(table: Table, published: PublishedFigures): Knowledge {
  const n = table.unknowns.length;
  const bounds: Bounds = { lo: new Float64Array(n), hi: new Float64Array(n).fill(UNBOUNDED) };
  const exposed: string[] = [];
  table.unknowns.forEach((u, i) => {
    if (u.kind !== 'count') return;
    const figure = published.get(u.path);
    if (typeof figure === 'number') {
      if (isSmall(figure) || figure !== u.truth) exposed.push(u.path);
      bounds.lo[i] = bounds.hi[i] = figure;
    } else if (figure === '<5') {
      bounds.lo[i] = 1;
      bounds.hi[i] = MIN_PUBLISHED - 1;
    } else if (figure !== 'suppressed') throw new Error(`disclosure control: ${u.path} is not published`);
  });
  for (const share of table.shares) {
    if (published.get(share.path) == null) continue;
    // numerator = share × denominator: known exactly when the denominator is, a rational relation otherwise.
    const { denominator, numerator } = share;
    // and the complement (denominator − numerator) with it: a small one is a small count published
    if (bounds.lo[denominator] !== bounds.hi[denominator] || isSmall(table.truth[denominator] - table.truth[numerator]))
      exposed.push(share.path);
    bounds.lo[numerator] = bounds.hi[numerator] = table.truth[numerator];
  }
  const extra: Constraint[] = table.medians.map(({ path, counts }) => {
    const terms = counts.map((v) => ({ v, c: 1 }));
    // published: the counts add up to at least 5; withheld: to fewer
    return published.get(path) == null
      ? { terms, op: 'le', rhs: MIN_PUBLISHED - 1 }
      : { terms: terms.map(({ v }) => ({ v, c: -1 })), op: 'le', rhs: -MIN_PUBLISHED };
  });
  const constraints = [...table.constraints, ...extra.filter((k) => satisfies(table.truth, { lo: table.truth, hi: table.truth }, [k]))];
  return { bounds, constraints, watch: watchLists(n, constraints), exposed };
}

/**
 * The counts to protect: every count from 1 to 4, whether published as "<5" or hidden further as
 * "suppressed" (a small count worked out is a disclosure however it was labelled).
 */
export const protectedCells = (table: Table): number[] =>
  table.unknowns.flatMap((u, i) => (u.kind !== 'numerator' && isSmall(u.truth) ? [i] : []));

/**
 * The audit: the protected cells that the publication pins to one value, plus figures exposed by
 * themselves. `witnesses` keeps the proofs found (they stay valid while nothing more is
 * published), so that auditing again after hiding more cells costs little. `only` limits the
 * audit to some cells.
 */
export function auditFigures(
  table: Table,
  published: PublishedFigures,
  witnesses = new Map<number, Float64Array>(),
  only?: readonly number[],
): string[] {
  const knowledge = knowledgeOf(table, published);
  const fixpoint = copyBounds(knowledge.bounds);
  if (!propagate(fixpoint, knowledge.constraints, knowledge.watch))
    throw new Error('disclosure control: the true figures break an identity');
  const cells = only ?? protectedCells(table);
  const pinned = cells.filter((v) => {
    if (fixpoint.lo[v] === fixpoint.hi[v]) return true;
    const known = witnesses.get(v);
    if (known && satisfies(known, knowledge.bounds, knowledge.constraints)) return false;
    const witness = otherValueWitness(fixpoint, knowledge.constraints, knowledge.watch, table.truth, v);
    if (witness === null) return true;
    // The same solution proves every other cell it changes, too.
    for (const u of cells) if (witness[u] !== table.truth[u]) witnesses.set(u, witness);
    return false;
  });
  return [...knowledge.exposed, ...pinned.map((v) => table.unknowns[v].path)];
}
