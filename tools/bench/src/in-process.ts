import { handleCaseCommand, receiveReferral, UPCASTERS, withUpcasting } from '@wih/application';
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

export interface Bench {
  readonly store: CountingStore;
  readonly fixtures: Fixtures;
}

export const withStore = async <T>(durability: Durability, run: (bench: Bench) => Promise<T>): Promise<T> => {
  const dir = makeTempDir('wih-bench-store-');
  const store = new CountingStore(withUpcasting(openSqliteEventStore(dir.path, { durability }), UPCASTERS));
  try {
    return await run({ store, fixtures: makeFixtures() });
  } finally {
    await store.close();
    dir.remove();
  }
};

/** Referral (household + case stream) and approval for `count` new cases, each phase measured. */
export async function createCases({ store, fixtures }: Bench, count: number): Promise<{ ids: string[]; runs: RunResult[] }> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const referrals = await closedLoop(
    async (i) => {
      await receiveReferral(store, fixtures.referral(ids[i]), CASEWORKER);
    },
    { concurrency: 1, total: count },
  );
  const approvals = await closedLoop(
    async (i) => {
      await handleCaseCommand(
        store,
        (context) => ({ type: 'ApproveReferral', caseId: ids[i], context, data: fixtures.approval }),
        FACHSTELLE,
      );
    },
    { concurrency: 1, total: count },
  );
  return { ids, runs: [named('in-process referral (2 streams)', 'info', referrals), named('in-process approval', 'info', approvals)] };
}

/**
 * Home visits through the generic handler (read, fold, decide, append) over `ids`: round-robin
 * when sequential, a random case per command when concurrent. The store's append resolves a turn
 * later (group commit), so commands in flight interleave and those on the same case conflict.
 */
export async function visits({ store, fixtures }: Bench, ids: string[], total: number, concurrency: number) {
  const pick = concurrency === 1 ? (i: number) => ids[i % ids.length] : () => ids[Math.floor(Math.random() * ids.length)];
  const before = store.conflicts;
  const result = await closedLoop(
    async (i) => {
      const caseId = pick(i);
      await handleCaseCommand(store, (context) => ({ type: 'RecordHomeVisit', caseId, context, data: fixtures.visit }), CASEWORKER);
    },
    { concurrency, total },
  );
  return { result, conflicts: store.conflicts - before };
}

/**
 * Each command reads its whole stream, so cost grows with a case's history: every run gets fresh
 * cases (a referral and an approval, 2 events) and they all end at the same length.
 */
async function visitsOnFreshCases(bench: Bench, cases: number, total: number, concurrency: number) {
  const { ids } = await createCases(bench, cases);
  return { ids, ...(await visits(bench, ids, total, concurrency)) };
}

/** Warms the JIT on cases of its own, so that the measured cases all start at 2 events. */
export const warmUp = async (bench: Bench, o: InProcessOptions) => visitsOnFreshCases(bench, Math.min(o.cases, 100), o.warmup, 1);

const streamLengths = (cases: number, visitsFrom: number, total: number) =>
  `streams ${2 + visitsFrom}→${2 + visitsFrom + Math.round(total / cases)} events`;

/**
 * The shipped default (durability full): setup, sequential, concurrent, concurrent on a small hot
 * set (many conflicts), and last the first cases again with their longer streams.
 */
export async function inProcessRuns(o: InProcessOptions): Promise<RunResult[]> {
  return withStore('full', async (bench) => {
    await warmUp(bench, o);
    const { ids, runs } = await createCases(bench, o.cases);
    const seq = await visits(bench, ids, o.commands, 1);
    const conc = await visitsOnFreshCases(bench, o.cases, o.commands, o.concurrency);
    const hot = await visitsOnFreshCases(bench, o.hotCases, o.hotCommands, o.concurrency);
    const longer = await visits(bench, ids, o.commands, 1);
    const inFlight = `${IN_FLIGHT_PREFIX}${o.concurrency} in flight`;
    const lengths = streamLengths(o.cases, 0, o.commands);
    return [
      ...runs,
      named(SEQUENTIAL, 'measured', seq.result, { conflicts: seq.conflicts, note: lengths }),
      named(inFlight, 'measured', conc.result, { conflicts: conc.conflicts, note: lengths }),
      named(`${inFlight} on ${o.hotCases} cases`, 'info', hot.result, {
        conflicts: hot.conflicts,
        note: streamLengths(o.hotCases, 0, o.hotCommands),
      }),
      named(`${SEQUENTIAL}, ${streamLengths(o.cases, Math.round(o.commands / o.cases), o.commands)}`, 'info', longer.result, {
        conflicts: longer.conflicts,
      }),
    ];
  });
}

/** The same sequential visits without an fsync per commit: what the CPU alone costs. */
export async function inProcessWithoutFsync(o: InProcessOptions): Promise<RunResult> {
  return withStore('normal', async (bench) => {
    await warmUp(bench, o);
    const seq = await visitsOnFreshCases(bench, o.cases, o.commands, 1);
    return named(`${SEQUENTIAL}, synchronous=NORMAL`, 'info', seq.result, {
      conflicts: seq.conflicts,
      note: streamLengths(o.cases, 0, o.commands),
    });
  });
}
