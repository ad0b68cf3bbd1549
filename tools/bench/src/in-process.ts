import { handleCaseCommand, receiveReferral } from '@wih/application';
import { openSqliteEventStore, type Durability } from '@wih/event-store';
import { randomUUID } from 'node:crypto';
import { makeTempDir } from './cleanup';
import { CountingStore } from './counting-store';
import { closedLoop, type Operation } from './drive';
import { approval, CASEWORKER, FACHSTELLE, referral, visit } from './fixtures';
import { named, type RunResult } from './result';

export interface InProcessOptions {
  readonly commands: number;
  readonly cases: number;
  readonly concurrency: number;
  readonly hotCases: number;
  readonly hotCommands: number;
  readonly warmup: number;
}

const withStore = async <T>(durability: Durability, run: (store: CountingStore) => Promise<T>): Promise<T> => {
  const dir = makeTempDir('wih-bench-store-');
  const store = new CountingStore(openSqliteEventStore(dir.path, { durability }));
  try {
    return await run(store);
  } finally {
    await store.close();
    dir.remove();
  }
};

/** The caseworker's visit on one case, through the generic handler (read, fold, decide, append). */
const recordVisit = (store: CountingStore, caseId: string) => async (): Promise<void> => {
  await handleCaseCommand(store, (context) => ({ type: 'RecordHomeVisit', caseId, context, data: visit() }), CASEWORKER);
};

/** Referral (household + case stream) and approval for `count` new cases, each phase measured. */
async function createCases(store: CountingStore, count: number, label: string): Promise<{ ids: string[]; runs: RunResult[] }> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const referrals = await closedLoop((i) => receiveReferral(store, referral(ids[i]), CASEWORKER).then(() => undefined), { concurrency: 1, total: count });
  const approvals = await closedLoop(async (i) => {
    await handleCaseCommand(store, (context) => ({ type: 'ApproveReferral', caseId: ids[i], context, data: approval() }), FACHSTELLE);
  }, { concurrency: 1, total: count });
  return {
    ids,
    runs: [named(`${label}referral (2 streams)`, 'info', referrals), named(`${label}approval`, 'info', approvals)],
  };
}

/** Visits over `ids`: round-robin when sequential, a random case per command when concurrent. */
async function visits(store: CountingStore, ids: string[], total: number, concurrency: number) {
  const pick = concurrency === 1 ? (i: number) => ids[i % ids.length] : () => ids[Math.floor(Math.random() * ids.length)];
  const op: Operation = (i) => recordVisit(store, pick(i))();
  const before = store.conflicts;
  const result = await closedLoop(op, { concurrency, total });
  return { result, conflicts: store.conflicts - before };
}

/** The shipped default (durability full): setup, sequential, concurrent, and a contended hot set. */
export async function inProcessRuns(o: InProcessOptions): Promise<RunResult[]> {
  return withStore('full', async (store) => {
    const { ids, runs } = await createCases(store, o.cases, 'in-process ');
    await visits(store, ids, o.warmup, 1);
    const seq = await visits(store, ids, o.commands, 1);
    const conc = await visits(store, ids, o.commands, o.concurrency);
    const hot = await createCases(store, o.hotCases, 'in-process hot ');
    const contended = await visits(store, hot.ids, o.hotCommands, o.concurrency);
    return [
      ...runs,
      named('in-process visits, sequential', 'measured', seq.result, { conflicts: seq.conflicts }),
      named(`in-process visits, ${o.concurrency} in flight`, 'measured', conc.result, { conflicts: conc.conflicts }),
      named(`in-process visits, ${o.concurrency} in flight on ${o.hotCases} cases`, 'info', contended.result, { conflicts: contended.conflicts }),
    ];
  });
}

/** The same sequential visits without an fsync per commit: what the CPU alone costs. */
export async function inProcessWithoutFsync(o: InProcessOptions): Promise<RunResult> {
  return withStore('normal', async (store) => {
    const { ids } = await createCases(store, o.cases, '');
    await visits(store, ids, o.warmup, 1);
    const seq = await visits(store, ids, o.commands, 1);
    return named('in-process visits, sequential, synchronous=NORMAL', 'info', seq.result, { conflicts: seq.conflicts });
  });
}
