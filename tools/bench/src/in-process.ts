import { handleCaseCommand, receiveReferral } from '@wih/application';
import { openSqliteEventStore, type Durability } from '@wih/event-store';
import { randomUUID } from 'node:crypto';
import { makeTempDir } from './cleanup';
import { CountingStore } from './counting-store';
import { closedLoop } from './drive';
import { CASEWORKER, FACHSTELLE, makeFixtures, type Fixtures } from './fixtures';
import { named, type RunResult } from './result';

export interface InProcessOptions {
  readonly commands: number;
  readonly cases: number;
  readonly concurrency: number;
  readonly hotCases: number;
  readonly hotCommands: number;
  readonly warmup: number;
}

export const SEQUENTIAL = 'in-process visits, sequential';
export const IN_FLIGHT_PREFIX = 'in-process visits, ';

interface Bench {
  readonly store: CountingStore;
  readonly fixtures: Fixtures;
}

const withStore = async <T>(durability: Durability, run: (bench: Bench) => Promise<T>): Promise<T> => {
  const dir = makeTempDir('wih-bench-store-');
  const store = new CountingStore(openSqliteEventStore(dir.path, { durability }));
  try {
    return await run({ store, fixtures: makeFixtures() });
  } finally {
    await store.close();
    dir.remove();
  }
};

/** Referral (household + case stream) and approval for `count` new cases, each phase measured. */
async function createCases({ store, fixtures }: Bench, count: number): Promise<{ ids: string[]; runs: RunResult[] }> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const referrals = await closedLoop(async (i) => {
    await receiveReferral(store, fixtures.referral(ids[i]), CASEWORKER);
  }, { concurrency: 1, total: count });
  const approvals = await closedLoop(async (i) => {
    await handleCaseCommand(store, (context) => ({ type: 'ApproveReferral', caseId: ids[i], context, data: fixtures.approval }), FACHSTELLE);
  }, { concurrency: 1, total: count });
  return { ids, runs: [named('in-process referral (2 streams)', 'info', referrals), named('in-process approval', 'info', approvals)] };
}

/**
 * Home visits through the generic handler (read, fold, decide, append) over `ids`: round-robin
 * when sequential, a random case per command when concurrent, so that writers do collide.
 */
async function visits({ store, fixtures }: Bench, ids: string[], total: number, concurrency: number, interleave = false) {
  const pick = concurrency === 1 ? (i: number) => ids[i % ids.length] : () => ids[Math.floor(Math.random() * ids.length)];
  const before = store.conflicts;
  store.yieldAfterRead = interleave;
  const result = await closedLoop(async (i) => {
    const caseId = pick(i);
    await handleCaseCommand(store, (context) => ({ type: 'RecordHomeVisit', caseId, context, data: fixtures.visit }), CASEWORKER);
  }, { concurrency, total });
  store.yieldAfterRead = false;
  return { result, conflicts: store.conflicts - before };
}

/**
 * The shipped default (durability full): setup, sequential, concurrent as the embedded store
 * really behaves, then interleaved (see CountingStore) over all cases and over a small hot set.
 */
export async function inProcessRuns(o: InProcessOptions): Promise<RunResult[]> {
  return withStore('full', async (bench) => {
    const { ids, runs } = await createCases(bench, o.cases);
    await visits(bench, ids, o.warmup, 1);
    const seq = await visits(bench, ids, o.commands, 1);
    const conc = await visits(bench, ids, o.commands, o.concurrency);
    const mixed = await visits(bench, ids, o.commands, o.concurrency, true);
    const hot = await createCases(bench, o.hotCases);
    const contended = await visits(bench, hot.ids, o.hotCommands, o.concurrency, true);
    const inFlight = `${IN_FLIGHT_PREFIX}${o.concurrency} in flight`;
    return [
      ...runs,
      named(SEQUENTIAL, 'measured', seq.result, { conflicts: seq.conflicts }),
      named(inFlight, 'measured', conc.result, { conflicts: conc.conflicts }),
      named(`${inFlight}, interleaved`, 'info', mixed.result, { conflicts: mixed.conflicts }),
      named(`${inFlight}, interleaved, ${o.hotCases} cases`, 'info', contended.result, { conflicts: contended.conflicts }),
    ];
  });
}

/** The same sequential visits without an fsync per commit: what the CPU alone costs. */
export async function inProcessWithoutFsync(o: InProcessOptions): Promise<RunResult> {
  return withStore('normal', async (bench) => {
    const { ids } = await createCases(bench, o.cases);
    await visits(bench, ids, o.warmup, 1);
    const seq = await visits(bench, ids, o.commands, 1);
    return named(`${SEQUENTIAL}, synchronous=NORMAL`, 'info', seq.result, { conflicts: seq.conflicts });
  });
}
