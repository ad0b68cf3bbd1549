import { ReadModels, type CaseloadQuery, type CaseloadSort } from '@wih/application';
import type { ReadStore } from '@wih/read-store';
import { performance } from 'node:perf_hooks';
import { SURNAMES } from './history';
import { Prng, Weighted } from './history/prng';
import { Latencies, type LatencySummary } from './latency';

export interface CaseloadOptions {
  readonly queries: number;
  readonly warmup: number;
  readonly seed: number;
  readonly caseworkers: readonly string[];
  readonly today: string;
}

export interface CaseloadResult {
  readonly overall: LatencySummary;
  /** By query shape, so that a slow p99 points at the shape that causes it. */
  readonly byKind: Record<string, LatencySummary>;
  /** Items returned on average (a page is 50). */
  readonly meanItems: number;
}

type Kind =
  | 'all cases'
  | 'caseworker'
  | 'caseworker, by received date'
  | 'caseworker, overdue'
  | 'status referred'
  | 'status active'
  | 'status closed'
  | 'overdue, all caseworkers'
  | 'name search'
  | 'name search, caseworker'
  | 'pages 2–5 (cursor)';

/** A plausible day's mix: caseworkers open their own caseload, the Fachstelle its inbox and overviews. */
const MIX = new Weighted<Kind>([
  ['caseworker', 28],
  ['caseworker, by received date', 5],
  ['caseworker, overdue', 10],
  ['status referred', 10],
  ['all cases', 8],
  ['status active', 5],
  ['status closed', 3],
  ['overdue, all caseworkers', 6],
  ['name search', 8],
  ['name search, caseworker', 7],
  ['pages 2–5 (cursor)', 10],
]);

const PAGE = 50;

/**
 * Caseload queries through ReadModels (the API's query path without HTTP), one at a time.
 * `pages 2–5` follows the cursor of an all-cases or active-cases listing; only the later pages
 * are measured under that name (the first page counts as its own kind).
 */
export async function caseloadLatency(reads: ReadStore, o: CaseloadOptions): Promise<CaseloadResult> {
  const models = new ReadModels(reads);
  const rng = new Prng(o.seed);
  const overall = new Latencies();
  const byKind = new Map<Kind, Latencies>();
  let items = 0;
  let measured = 0;
  const timed = async (kind: Kind, query: CaseloadQuery, record: boolean) => {
    const started = performance.now();
    const page = await models.caseload(query);
    const ms = performance.now() - started;
    if (record) {
      overall.add(ms);
      let latencies = byKind.get(kind);
      if (!latencies) byKind.set(kind, (latencies = new Latencies()));
      latencies.add(ms);
      items += page.items.length;
      measured++;
    }
    return page;
  };
  const base = (sort: CaseloadSort = 'nextVisitDueOn'): CaseloadQuery => ({ sort, limit: PAGE, today: o.today });
  const searchTerm = () => {
    const name = rng.pick(SURNAMES).toLowerCase();
    // Often the whole name, sometimes the first letters only.
    return rng.chance(0.7) ? name : name.slice(0, 4);
  };

  for (let i = 0; i < o.warmup + o.queries; i++) {
    const record = i >= o.warmup;
    const kind = MIX.draw(rng);
    const caseworkerId = rng.pick(o.caseworkers);
    switch (kind) {
      case 'all cases':
        await timed(kind, base(), record);
        break;
      case 'caseworker':
        await timed(kind, { ...base(), caseworkerId }, record);
        break;
      case 'caseworker, by received date':
        await timed(kind, { ...base('receivedOn'), caseworkerId }, record);
        break;
      case 'caseworker, overdue':
        await timed(kind, { ...base(), caseworkerId, overdue: true }, record);
        break;
      case 'status referred':
        await timed(kind, { ...base('receivedOn'), status: 'referred' }, record);
        break;
      case 'status active':
        await timed(kind, { ...base(), status: 'active' }, record);
        break;
      case 'status closed':
        await timed(kind, { ...base('receivedOn'), status: 'closed' }, record);
        break;
      case 'overdue, all caseworkers':
        await timed(kind, { ...base(), overdue: true }, record);
        break;
      case 'name search':
        await timed(kind, { ...base(), q: searchTerm() }, record);
        break;
      case 'name search, caseworker':
        await timed(kind, { ...base(), caseworkerId, q: searchTerm() }, record);
        break;
      case 'pages 2–5 (cursor)': {
        const first: CaseloadQuery = rng.chance(0.5) ? base() : { ...base(), status: 'active' };
        let page = await models.caseload(first);
        for (let n = rng.int(1, 4); n > 0 && page.nextCursor; n--) page = await timed(kind, { ...first, cursor: page.nextCursor }, record);
        break;
      }
    }
  }
  return {
    overall: overall.summary(),
    byKind: Object.fromEntries([...byKind].sort(([a], [b]) => a.localeCompare(b)).map(([kind, l]) => [kind, l.summary()])),
    meanItems: items / Math.max(1, measured),
  };
}
