import { randomUUID } from 'node:crypto';
import { startApi } from './api-process';
import { closedLoop, openLoop } from './drive';
import { CASEWORKER, FACHSTELLE, makeFixtures, type Fixtures } from './fixtures';
import { ApiClient } from './http-client';
import { attributeTail, type MonitorReport, type MonitorSummary } from './monitor-report';
import { named, type RunResult } from './result';

export const OPEN_LOOP_PREFIX = 'HTTP visits, open loop at ';

export interface HttpOptions {
  readonly rate: number;
  readonly seconds: number;
  readonly httpCases: number;
  readonly clients: number;
  readonly closedSeconds: number;
  readonly warmup: number;
  /** Preload the event-loop/GC monitor into the API and explain the open loop's tail with it. */
  readonly monitor: boolean;
  /** `--api <main.js>`: another compiled API than this build's. */
  readonly api?: string;
}

/** Requests slower than this are matched against the API's pauses (the target's p99). */
export const TAIL_MS = 10;

/** Fails the run when setup went wrong: measuring visits on missing cases would measure 404s. */
const requireNoErrors = (what: string, errors: number, kinds: Record<string, number>): void => {
  if (errors > 0) throw new Error(`${what}: ${errors} requests failed ${JSON.stringify(kinds)}`);
};

async function createCases(
  fixtures: Fixtures,
  caseworker: ApiClient,
  fachstelle: ApiClient,
  count: number,
  concurrency: number,
): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const referrals = await closedLoop((i) => caseworker.post('/api/cases', JSON.stringify(fixtures.referral(ids[i]))), {
    concurrency,
    total: count,
  });
  requireNoErrors('referrals', referrals.errors, referrals.errorKinds);
  const approvalBody = JSON.stringify(fixtures.approval);
  const approvals = await closedLoop((i) => fachstelle.post(`/api/cases/${ids[i]}/approval`, approvalBody), { concurrency, total: count });
  requireNoErrors('approvals', approvals.errors, approvals.errorKinds);
  return ids;
}

/**
 * The API as a separate process on a fresh data dir: the fixed-rate run (the target) first, then
 * the closed-loop capacity run, so that the latter's backlog cannot leak into the former.
 */
export async function httpRuns(o: HttpOptions): Promise<RunResult[]> {
  // Rate limits lifted: one caseworker's 200 requests/s are the load, not what is measured.
  const api = await startApi({ monitor: o.monitor, main: o.api, env: { RATE_LIMIT: 'off' } });
  try {
    const caseworker = new ApiClient(api.baseUrl, api.secret, CASEWORKER);
    const fachstelle = new ApiClient(api.baseUrl, api.secret, FACHSTELLE);
    const fixtures = makeFixtures();
    const ids = await createCases(fixtures, caseworker, fachstelle, o.httpCases, o.clients);
    const body = JSON.stringify(fixtures.visit);
    const post = (i: number) => caseworker.post(`/api/cases/${ids[i % ids.length]}/visits`, body);
    const warm = await closedLoop(post, { concurrency: 1, total: o.warmup });
    requireNoErrors('warm-up', warm.errors, warm.errorKinds);
    api.monitor?.start();
    const { requests, ...open } = await openLoop(post, { rate: o.rate, seconds: o.seconds });
    const report = await api.monitor?.stop();
    const closed = await closedLoop(post, { concurrency: o.clients, seconds: o.closedSeconds });
    const monitor = report && summaryOf(report, requests);
    return [
      named(`${OPEN_LOOP_PREFIX}${o.rate}/s`, 'measured', open, { sendLag: open.sendLag, ...(monitor ? { monitor } : {}) }),
      named(`HTTP visits, closed loop, ${o.clients} clients`, 'info', closed),
    ];
  } finally {
    await api.stop();
  }
}

/** The monitor's report without its timeline, and what the requests slower than TAIL_MS overlapped most. */
export const summaryOf = ({ timeline, ...report }: MonitorReport, requests: Parameters<typeof attributeTail>[0]): MonitorSummary => {
  const blame = attributeTail(requests, timeline, TAIL_MS);
  const slow = Object.values(blame).reduce((n, x) => n + x, 0);
  return { ...report, tail: { overMs: TAIL_MS, slow, blame } };
};
