import {
  collectionOf,
  defaultManagerSettings,
  defaultHandlerSettings,
  handleCaseCommand,
  PersonalDataKeys,
  ProjectionManager,
  ReadModels,
  UPCASTERS,
  withUpcasting,
  type Actor,
  type CommandResult,
  type ExistingCaseCommand,
  type HandlerSettings,
} from '@wih/application';
import { businessDateOf, type CommandContext } from '@wih/domain';
import { SqliteEventStore, type EventStore } from '@wih/event-store';
import { PROJECTIONS, type CaseDoc } from '@wih/projections';
import { SqliteReadStore, type ReadStore, type StoredDoc } from '@wih/read-store';
import { loadSettings, openEventStore, openKeyStore } from '@wih/runtime';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Prng } from './history/prng';
import { Latencies, type LatencySummary } from './latency';
import { startProjector } from './projector-process';

export interface ReadYourWritesOptions {
  readonly eventsFile: string;
  readonly readsFile: string;
  /** Measured passes, one after the other: the API's poll interval, then a shorter one. */
  readonly passes: readonly { readonly commands: number; readonly pollMs: number }[];
  readonly warmup: number;
  readonly seed: number;
  /**
   * Where the projections run: under their managers in this process (the default), or in
   * `apps/projector` as its own process on the files' directory, which must then be a data
   * directory (`events.sqlite`, `read.sqlite`): this process writes and reads as the API does
   * with RUN_PROJECTIONS=false, and is woken by the projector's commits across processes
   * (decisions 0043 and 0050).
   */
  readonly projector?: 'in-process' | 'projector-process';
}

export interface ReadYourWritesPass {
  /** How often ReadModels.waitFor looks at the checkpoint. */
  readonly pollMs: number;
  /** Command answered → cases checkpoint reached and the case document shows the new revision. */
  readonly cases: LatencySummary;
  /** The same for the timeline, measured over the same commands, in parallel with `cases`. */
  readonly timeline: LatencySummary;
  /** The case read alone right after (no wait): the baseline of `cases`. */
  readonly raw: LatencySummary;
  /** The command itself (read, decide, append with fsync): context, not part of the wait. */
  readonly command: LatencySummary;
  /** Documents that did not show the new revision although the checkpoint had passed it. */
  readonly stale: number;
}

export interface ReadYourWritesResult {
  readonly passes: ReadYourWritesPass[];
  readonly activeCases: number;
  readonly catchUpSeconds: number;
}

const CATCH_UP_TIMEOUT_MS = 300_000;

async function caughtUp(managers: readonly ProjectionManager[]): Promise<void> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  for (;;) {
    const statuses = await Promise.all(managers.map((m) => m.status()));
    if (statuses.every((s) => s.status === 'running')) return;
    const failed = statuses.find((s) => s.status === 'failed' || s.lastError);
    if (failed) throw new Error(`projection ${failed.name}: ${failed.status} ${failed.lastError ?? ''}`);
    if (Date.now() > deadline) throw new Error(`projections not caught up: ${JSON.stringify(statuses)}`);
    await sleep(20);
  }
}

/**
 * Read-your-writes as the API offers it (`minPosition`): the projections run live in this
 * process under their managers; each command's answer carries its log position, and the client
 * waits for that position and then reads the case. Commands go one at a time to random active
 * cases, as the assigned caseworker, dated today.
 */
export async function readYourWrites(o: ReadYourWritesOptions): Promise<ReadYourWritesResult> {
  const setup = o.projector === 'projector-process' ? projectorProcess(o) : projectionsHere(o);
  try {
    const started = performance.now();
    await setup.caughtUp();
    const catchUpSeconds = (performance.now() - started) / 1000;
    const active = await setup.reads.find<CaseDoc>(collectionOf('cases', 1), {
      filters: [{ field: 'status', op: 'eq', value: 'active' }],
      sortBy: 'receivedOn',
      limit: 1_000_000,
    });
    if (active.length === 0) throw new Error('no active case to write to');
    const rng = new Prng(o.seed);
    const today = businessDateOf(new Date());
    const passes: ReadYourWritesPass[] = [];
    for (const [n, pass] of o.passes.entries()) {
      const models = new ReadModels(setup.reads, pass.pollMs);
      passes.push(await measurePass(setup, models, active, rng, today, pass.commands, n === 0 ? o.warmup : 0, pass.pollMs));
    }
    return { passes, activeCases: active.length, catchUpSeconds };
  } finally {
    await setup.close();
  }
}

interface Setup {
  readonly events: EventStore;
  readonly reads: ReadStore;
  /** The handler's settings: with the households' keys where the log seals personal data. */
  readonly handler?: HandlerSettings;
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

/** The managers in this process, both stores with the API's background checkpoints (no commit copies the WAL back). */
function projectionsHere(o: ReadYourWritesOptions): Setup {
  const events = withUpcasting(new SqliteEventStore(o.eventsFile, { checkpoints: 'background' }), UPCASTERS);
  const reads = new SqliteReadStore(o.readsFile, { checkpoints: 'background' });
  const managers = PROJECTIONS.map((p) => new ProjectionManager(p, events, reads, defaultManagerSettings('bench-rebuild')));
  return {
    events,
    reads,
    caughtUp: async () => {
      for (const manager of managers) await manager.start();
      await caughtUp(managers);
    },
    close: async () => {
      await Promise.all(managers.map((m) => m.stop()));
      await reads.close();
      await events.close();
    },
  };
}

/**
 * The production layout: the projector as its own process; this one opens the log as the API does
 * (the runtime's event store with the key store beside it, background checkpoints) and reads the
 * read store the projector writes.
 */
function projectorProcess(o: ReadYourWritesOptions): Setup {
  const dataDir = dirname(o.eventsFile);
  if (basename(o.eventsFile) !== 'events.sqlite' || o.readsFile !== join(dataDir, 'read.sqlite')) {
    throw new Error("with the projector as its own process, the log and the read store must be a data directory's");
  }
  const settings = loadSettings({ DATA_DIR: dataDir });
  const keyStore = openKeyStore(settings);
  const events = openEventStore(settings, { checkpoints: 'background' });
  const reads = new SqliteReadStore(o.readsFile);
  // Its read store is the one read here, whatever READ_DIR this process was started with.
  const projector = startProjector(dataDir, { READ_DIR: dataDir });
  return {
    events,
    reads,
    handler: { ...defaultHandlerSettings, keys: new PersonalDataKeys(keyStore) },
    caughtUp: async () => {
      // Every projection's checkpoint at the log's head (an empty category ends the wait at once).
      const head = await events.headPosition();
      const models = new ReadModels(reads, 10, events);
      for (const p of PROJECTIONS) await models.waitFor(p.name, head, CATCH_UP_TIMEOUT_MS);
    },
    close: async () => {
      await projector.stop();
      await Promise.all([reads.close(), events.close(), keyStore.close()]);
    },
  };
}

async function measurePass(
  { events, handler }: Pick<Setup, 'events' | 'handler'>,
  models: ReadModels,
  active: readonly StoredDoc<CaseDoc>[],
  rng: Prng,
  today: string,
  commands: number,
  warmup: number,
  pollMs: number,
): Promise<ReadYourWritesPass> {
  const [cases, timeline, command, raw] = [new Latencies(), new Latencies(), new Latencies(), new Latencies()];
  let stale = 0;
  for (let i = 0; i < warmup + commands; i++) {
    const { doc } = rng.pick(active);
    const actor: Actor = { userId: doc.assignedCaseworkerId ?? '', role: 'caseworker' };
    const visit = rng.chance(0.8);
    const decide = (context: CommandContext): ExistingCaseCommand =>
      visit
        ? {
            type: 'RecordHomeVisit',
            caseId: doc.caseId,
            context,
            data: { visitedOn: today, householdMet: true, concerns: ['tenancy'], notes: 'Hausbesuch, alles in Ordnung.' },
          }
        : {
            type: 'RecordMediation',
            caseId: doc.caseId,
            context,
            data: { mediatedOn: today, kind: 'jobcenter', institutionKind: 'jobcenter' },
          };
    const sent = performance.now();
    const result = await handleCaseCommand(events, decide, actor, undefined, handler);
    const answered = performance.now();
    const seen = async (projection: 'cases' | 'timeline', shows: (r: CommandResult) => Promise<boolean>) => {
      await models.waitFor(projection, result.position);
      if (!(await shows(result))) stale++;
      return performance.now() - answered;
    };
    const [casesMs, timelineMs] = await Promise.all([
      seen('cases', async (r) => (await models.case(r.caseId))?.doc.revision === r.revision),
      seen('timeline', async (r) => (await models.timeline(r.caseId))?.doc.items.at(-1)?.revision === r.revision),
    ]);
    const read = performance.now();
    await models.case(doc.caseId);
    const rawMs = performance.now() - read;
    if (i < warmup) continue;
    command.add(answered - sent);
    cases.add(casesMs);
    timeline.add(timelineMs);
    raw.add(rawMs);
  }
  return { pollMs, cases: cases.summary(), timeline: timeline.summary(), raw: raw.summary(), command: command.summary(), stale };
}
