import { addDays, businessDateOf, CASE_CATEGORY } from '@wih/domain';
import { idOf, openSqliteEventStore, type EventStore, type RecordedEvent, type SqliteEventStore } from '@wih/event-store';
import type { ProjectedEvent, Projection } from '@wih/projections';
import { SqliteReadStore, type ReadStore } from '@wih/read-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseStream, handleCaseCommand, type Actor } from '../../case-commands';
import { receiveReferral } from '../../receive-referral';
import { ProjectionRunner, type RunnerSettings } from '../runner';

/**
 * Test helpers for the projection integration tests: real SQLite stores in temp directories, case
 * histories written through the real command handlers, and the expected read model computed
 * independently of the runner (a plain fold of the pure projection over each case's events).
 * Test-only: nothing in the application imports this.
 */

// ---- temp directories and stores -------------------------------------------------------------

export const tempDir = (prefix = 'wih-projections-'): string => mkdtempSync(join(tmpdir(), prefix));
export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/** The event store of a data directory; `normal` durability keeps test histories fast (no fsync per append). */
export const openEvents = (dir: string): SqliteEventStore => openSqliteEventStore(dir, { durability: 'normal', pollIntervalMs: 20 });
/** A read store connection on `<dir>/read.sqlite`; open it twice for two "processes" on one file. */
export const openReads = (dir: string): SqliteReadStore => new SqliteReadStore(join(dir, 'read.sqlite'));

/** Small rebuild commits, so that a rebuild in a test commits several times before it catches up. */
export const fastRunnerSettings: RunnerSettings = {
  batchSize: 50,
  rebuildBatchSize: 40,
  rebuildCommitEvents: 120,
  rebuildCachedDocs: 1_000_000,
  retryDelaysMs: [1, 1],
  requestPollMs: 20,
  now: () => new Date(),
};

// ---- waiting ----------------------------------------------------------------------------------

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value; fails with `what` (and the last value seen) at the deadline. */
export async function waitUntil<T>(what: string, check: () => Promise<T> | T, timeoutMs = 8_000, pollMs = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
    await sleep(pollMs);
  }
}

/** Waits until the collection's checkpoint reached the head of the case category. */
export const waitForHead = (events: EventStore, reads: ReadStore, collection: string, timeoutMs?: number): Promise<bigint> =>
  waitUntil(
    `${collection} to reach the head`,
    async () => {
      const [head, checkpoint] = await Promise.all([events.headPosition(CASE_CATEGORY), reads.getCheckpoint(collection)]);
      return checkpoint !== null && checkpoint === head ? checkpoint : null;
    },
    timeoutMs,
  );

// ---- case histories through the command handlers ----------------------------------------------

export const today = (): string => businessDateOf(new Date());
export const daysAgo = (n: number): string => addDays(today(), -n);

export const FACHSTELLE: Actor = { userId: 'fachstelle-1', role: 'fachstelle' };
export const caseworker = (userId: string): Actor => ({ userId, role: 'caseworker' });
const CASEWORKERS = ['cw-anna', 'cw-ben', 'cw-cem'];

export interface CaseRecipe {
  /** Home visits while active (dated one day apart, a few out of order). */
  readonly visits?: number;
}

/** The kind of life case `n` gets: every transition of the lifecycle appears across a history. */
export const shapeOf = (n: number): 'referred' | 'rejected' | 'active' | 'secured-closed' | 'reassigned-closed' | 'closed' =>
  (['referred', 'rejected', 'active', 'secured-closed', 'reassigned-closed', 'closed'] as const)[n % 6];

/** Writes case `n` through the real handlers: referral, then approval, visits, mediations, … per its shape. */
export async function writeCase(store: EventStore, n: number, recipe: CaseRecipe = {}): Promise<string> {
  const visits = recipe.visits ?? 3;
  const recorder = caseworker(CASEWORKERS[n % CASEWORKERS.length]);
  const receivedOn = daysAgo(330 - (n % 20));
  const { caseId } = await receiveReferral(
    store,
    {
      receivedOn,
      referralSource: 'jobcenter',
      targetGroup: n % 2 ? 'recommitted' : 'prevention_aftercare',
      housingSituation: 'own_tenancy_at_risk',
      threatCauses: ['rent_arrears'],
      adults: 1 + (n % 3),
      children: n % 4,
      existingAid: [],
      consentGiven: true,
      household: { name: `Haushalt Nr. ${n}`, address: `Teststraße ${n}, 50667 Köln` },
    },
    recorder,
  );
  const shape = shapeOf(n);
  if (shape === 'referred') return caseId;
  if (shape === 'rejected') {
    await handleCaseCommand(
      store,
      (context) => ({
        type: 'RejectReferral',
        caseId,
        context,
        data: { rejectedOn: addDays(receivedOn, 3), reason: 'not_target_group' },
      }),
      FACHSTELLE,
    );
    return caseId;
  }
  const approvedOn = addDays(receivedOn, 5);
  let assigned = recorder;
  await handleCaseCommand(
    store,
    (context) => ({
      type: 'ApproveReferral',
      caseId,
      context,
      data: { approvedOn, assignedCaseworkerId: assigned.userId, visitIntervalDays: 14, plannedEndOn: addDays(approvedOn, 300) },
    }),
    FACHSTELLE,
  );
  await recordVisits(store, caseId, assigned, approvedOn, 0, visits);
  await handleCaseCommand(
    store,
    (context) => ({
      type: 'RecordMediation',
      caseId,
      context,
      data: { mediatedOn: addDays(approvedOn, 2), kind: 'landlord', institutionKind: 'housing_company', notes: `Vermieter ${n}` },
    }),
    assigned,
  );
  if (shape === 'active') return caseId;
  if (shape === 'secured-closed') {
    await handleCaseCommand(
      store,
      (context) => ({
        type: 'RecordHousingSecured',
        caseId,
        context,
        data: { securedOn: addDays(approvedOn, 3), outcome: 'tenancy_preserved' },
      }),
      assigned,
    );
    await handleCaseCommand(
      store,
      (context) => ({
        type: 'ExtendHelpPeriod',
        caseId,
        context,
        data: { plannedEndOn: addDays(approvedOn, 330), reason: 'housing_search_ongoing' },
      }),
      FACHSTELLE,
    );
  }
  if (shape !== 'closed') {
    assigned = caseworker(CASEWORKERS[(n + 1) % CASEWORKERS.length]);
    const to = assigned.userId;
    await handleCaseCommand(store, (context) => ({ type: 'ReassignCaseworker', caseId, context, data: { caseworkerId: to } }), FACHSTELLE);
    await recordVisits(store, caseId, assigned, approvedOn, visits, 2);
  }
  // Closed today: the extension and the reassignment above are dated today, and a closing may not precede them (rule 3).
  await handleCaseCommand(
    store,
    (context) => ({
      type: 'CloseCase',
      caseId,
      context,
      data:
        shape === 'secured-closed'
          ? { closedOn: context.today, reason: 'goal_achieved', housingAtClose: 'own_tenancy' }
          : { closedOn: context.today, reason: 'moved_away', housingAtClose: 'unknown', notes: 'nach Bonn verzogen' },
    }),
    n % 2 ? assigned : FACHSTELLE,
  );
  return caseId;
}

export async function recordVisits(
  store: EventStore,
  caseId: string,
  actor: Actor,
  approvedOn: string,
  from: number,
  count: number,
): Promise<void> {
  for (let i = from; i < from + count; i++) {
    // Every fifth visit is recorded late (an earlier date than the one before): lastVisitOn must take the latest date.
    const visitedOn = addDays(approvedOn, 10 + (i % 200) - (i % 5 === 4 ? 7 : 0));
    await recordVisit(store, caseId, actor, visitedOn, i % 3 !== 0);
  }
}

export const recordVisit = (store: EventStore, caseId: string, actor: Actor, visitedOn: string, householdMet = true) =>
  handleCaseCommand(
    store,
    (context) => ({
      type: 'RecordHomeVisit',
      caseId,
      context,
      data: { visitedOn, householdMet, concerns: ['tenancy'], notes: 'Hausbesuch' },
    }),
    actor,
  );

/** Writes `count` cases (numbered from `first`) one after the other; returns their ids. */
export async function writeHistory(store: EventStore, count: number, recipe: CaseRecipe = {}, first = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let n = first; n < first + count; n++) ids.push(await writeCase(store, n, recipe));
  return ids;
}

/** The caseworker a case's next visit must be recorded by (the assigned one), from its events. */
export const assignedCaseworker = async (store: EventStore, caseId: string): Promise<Actor | null> => {
  let assigned: string | null = null;
  let status = 'none';
  for (const event of await store.readStream(caseStream(caseId))) {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'ReferralApproved') [assigned, status] = [data['assignedCaseworkerId'] as string, 'active'];
    if (event.type === 'CaseworkerReassigned') assigned = data['caseworkerId'] as string;
    if (event.type === 'CaseClosed' || event.type === 'ReferralRejected') status = 'ended';
  }
  return status === 'active' && assigned ? caseworker(assigned) : null;
};

// ---- the expected read model ------------------------------------------------------------------

export interface ExpectedDoc {
  readonly doc: unknown;
  readonly position: bigint;
}

/** Written here rather than taken from the application, so that the expectation does not share the runner's code. */
export const asProjected = (recorded: RecordedEvent): ProjectedEvent => {
  const { personal, ...data } = recorded.data as Record<string, unknown>;
  return {
    type: recorded.type,
    data,
    ...(personal === undefined ? {} : { personal }),
    streamId: idOf(recorded.streamName),
    revision: recorded.revision,
    position: recorded.position.toString(),
    recordedAt: recorded.metadata.recordedAt,
    businessDate: recorded.metadata.businessDate,
  } as unknown as ProjectedEvent;
};

/** Every case event of the log, in log order. */
export async function caseEvents(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const batch of store.readAll({ category: CASE_CATEGORY })) all.push(...batch);
  return all;
}

/** The read model as a plain fold of `projection.evolve` over each document's events (null documents are absent). */
export async function foldLog(store: EventStore, projection: Projection<unknown>): Promise<Map<string, ExpectedDoc>> {
  const handles = new Set<string>(projection.handles);
  const docs = new Map<string, ExpectedDoc>();
  for (const recorded of await caseEvents(store)) {
    if (!handles.has(recorded.type)) continue;
    const event = asProjected(recorded);
    const key = projection.keyOf(event);
    docs.set(key, { doc: projection.evolve(docs.get(key)?.doc ?? null, event), position: recorded.position });
  }
  for (const [key, value] of docs) if (value.doc === null) docs.delete(key);
  return docs;
}

/** Every document of a collection with its position, by id (sorted, so failures print in a stable order). */
export async function docsOf(reads: ReadStore, collection: string, projection: Projection<unknown>): Promise<Map<string, ExpectedDoc>> {
  const stored = await reads.find(collection, { sortBy: projection.indexes[0], limit: 1_000_000 });
  return new Map([...stored].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => [s.id, { doc: s.doc, position: s.position }]));
}

export const sortedById = (docs: Map<string, ExpectedDoc>): Map<string, ExpectedDoc> =>
  new Map([...docs].sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * A clean rebuild: a fresh read store in its own temp directory, filled from position 0 by a
 * runner in this process until it reached the head; returns its documents, then removes it.
 */
export async function cleanRebuild(events: EventStore, projection: Projection<unknown>): Promise<Map<string, ExpectedDoc>> {
  const dir = tempDir('wih-clean-rebuild-');
  const reads = openReads(dir);
  const abort = new AbortController();
  try {
    const runner = new ProjectionRunner(projection, `${projection.name}@1`, events, reads, { ...fastRunnerSettings, batchSize: 500 });
    const done = runner.run(abort.signal);
    await waitForHead(events, reads, `${projection.name}@1`);
    abort.abort();
    await done;
    return await docsOf(reads, `${projection.name}@1`, projection);
  } finally {
    abort.abort();
    await reads.close();
    removeDir(dir);
  }
}

/** A projection that counts `evolve` calls and can be made to throw for chosen events. */
export interface Instrumented<Doc> extends Projection<Doc> {
  readonly calls: ProjectedEvent[];
  failWhen: ((event: ProjectedEvent) => boolean) | null;
}

export function instrumented<Doc>(projection: Projection<Doc>): Instrumented<Doc> {
  const wrapper: Instrumented<Doc> = {
    ...projection,
    calls: [],
    failWhen: null,
    evolve: (doc, event) => {
      wrapper.calls.push(event);
      if (wrapper.failWhen?.(event)) throw new TypeError(`projection bug on ${event.type} r${event.revision}`);
      return projection.evolve(doc, event);
    },
  };
  return wrapper;
}

// ---- stores under test control ----------------------------------------------------------------

/**
 * A store whose calls can be frozen (they wait at a gate, like the calls of a process stopped by
 * the OS: arguments such as `now` were computed before), delayed, made to fail once, and counted.
 */
export interface Controlled<T> {
  readonly store: T;
  /** Calls per method name, and the arguments of each. */
  readonly calls: { readonly method: string; readonly args: readonly unknown[] }[];
  /** Calls started and not finished yet. */
  readonly inFlight: number;
  /** Freezes every call, or only the calls of the given methods. */
  freeze(methods?: readonly string[]): void;
  thaw(): void;
  delayMs: number;
  /** The next call of `method` throws `error` instead of reaching the store. */
  failNext(method: string, error: Error): void;
}

const frozen = new Set<Controlled<unknown>>();

/** Opens every gate (call it in afterEach: a failed test must not leave managers waiting forever). */
export const thawAll = (): void => [...frozen].forEach((control) => control.thaw());

export function controlled<T extends object>(target: T): Controlled<T> {
  let gate: { promise: Promise<void>; open: () => void; methods: readonly string[] | undefined } | null = null;
  const failures = new Map<string, Error>();
  let inFlight = 0;
  const control: Controlled<T> = {
    calls: [],
    get inFlight() {
      return inFlight;
    },
    delayMs: 0,
    freeze: (methods) => {
      if (gate) return;
      let open = (): void => undefined;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open, methods };
      frozen.add(control);
    },
    thaw: () => {
      const current = gate;
      gate = null;
      frozen.delete(control);
      current?.open();
    },
    failNext: (method, error) => void failures.set(method, error),
    store: new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => {
          // Async iterables (readAll, subscribe) are recorded but not gated: a generator must stay a generator.
          control.calls.push({ method: property, args });
          if (property === 'readAll' || property === 'subscribe') return (value as (...a: unknown[]) => unknown).apply(object, args);
          inFlight++;
          return (async () => {
            if (control.delayMs > 0) await sleep(control.delayMs);
            while (gate && (!gate.methods || gate.methods.includes(property))) await gate.promise;
            const failure = failures.get(property);
            if (failure) {
              failures.delete(property);
              throw failure;
            }
            return (value as (...a: unknown[]) => unknown).apply(object, args);
          })().finally(() => inFlight--);
        };
      },
    }),
  };
  return control;
}

/** The `after` option of each `readAll` a controlled event store saw (null: from the start). */
export const readAllStarts = (events: Controlled<EventStore>): (bigint | null)[] =>
  events.calls.filter((c) => c.method === 'readAll').map((c) => (c.args[0] as { after?: bigint } | undefined)?.after ?? null);

export interface HistoryWithFreshReads {
  readonly events: SqliteEventStore;
  readonly reads: SqliteReadStore;
  readonly readsFile: string;
}

/**
 * Jest hooks for rebuild specs: one history (60 cases, 6 visits each) written once per file, and a
 * fresh read store for every test. `use` hears every change, so a spec keeps plain variables.
 */
export function useHistoryWithFreshReads(prefix: string, use: (env: HistoryWithFreshReads) => void): void {
  let dir = '';
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  beforeAll(async () => {
    dir = tempDir(prefix);
    events = openEvents(dir);
    await writeHistory(events, 60, { visits: 6 });
  });
  afterAll(async () => {
    await events.close();
    removeDir(dir);
  });
  beforeEach(() => {
    const readsDir = join(dir, `reads-${Math.random().toString(36).slice(2)}`);
    reads = openReads(readsDir);
    use({ events, reads, readsFile: join(readsDir, 'read.sqlite') });
  });
  afterEach(() => reads.close());
}
