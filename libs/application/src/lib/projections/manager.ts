import type { EventStore } from '@wih/event-store';
import type { Projection } from '@wih/projections';
import type { ReadStore } from '@wih/read-store';
import {
  activeKey,
  collectionOf,
  generationsPrefix,
  readActive,
  readRebuild,
  rebuildKey,
  type ActiveGeneration,
  type RebuildStatus,
} from './generations';
import { listParked, unpark } from './parking';
import { defaultRunnerSettings, ProjectionRunner, type RunnerLogger, type RunnerMode, type RunnerSettings } from './runner';
import { describeError } from './runner-settings';

export interface ManagerSettings extends RunnerSettings {
  /** Lease lifetime; renewed every third of it. One process holds a projection at a time. */
  readonly leaseTtlMs: number;
  readonly owner: string;
  /** How long queries may go on reading a generation after the switch away from it (default 5 s). */
  readonly dropGraceMs?: number;
}

const DROP_GRACE_MS = 5_000;

/** The rebuild record's progress is written for other processes at most this often. */
const PROGRESS_EVERY_MS = 5_000;

/**
 * 3 s, renewed every second: where a lease only ends by expiring (MongoDB), another process takes
 * a dead holder's projections over within 4 s (its standby managers try every second). The
 * SQLite store ends it with the holder's process (see SqliteReadStore.acquireLease).
 */
export const defaultManagerSettings = (owner: string): ManagerSettings => ({ ...defaultRunnerSettings, leaseTtlMs: 3_000, owner });

export interface ProjectionStatus {
  readonly name: string;
  readonly status: 'running' | 'catching-up' | 'standby' | 'stopped' | 'failed';
  readonly generation: number | null;
  readonly checkpoint: string | null;
  readonly head: string;
  readonly lag: string | null;
  readonly parked: number;
  readonly lastError: string | null;
}

interface Running {
  runner: ProjectionRunner;
  abort: AbortController;
  done: Promise<void>;
  caughtUp: boolean;
  ended: boolean;
}

/**
 * Owns one projection in this process: holds its lease, runs the live generation, and runs a
 * rebuild into the next generation beside it, switching queries over once the rebuild caught up.
 */
export class ProjectionManager {
  private live: Running | null = null;
  private rebuild: Running | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private holding = false;
  /** The lease's fence while holding it: the runners commit with it. */
  private fence: number | undefined;
  private progressWrittenAt = 0;
  private failure: string | null = null;
  /** The tick in progress: a slow store can make a tick outlast the renewal interval. */
  private ticking: Promise<void> | null = null;
  /** The drops of generations left behind, due a grace period after taking the projection over. */
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly projection: Projection<unknown>,
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly settings: ManagerSettings,
    private readonly logger?: RunnerLogger,
  ) {}

  get name(): string {
    return this.projection.name;
  }

  /** Starts taking part: acquires the lease (now and on every renewal tick) and runs while holding it. */
  async start(): Promise<void> {
    await this.tick();
    this.leaseTimer = setInterval(() => void this.tick(), Math.max(50, this.settings.leaseTtlMs / 3));
  }

  async stop(): Promise<void> {
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.leaseTimer = null;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    // A tick in progress could otherwise launch a runner after the runners were stopped.
    await this.ticking;
    await this.stopRunners();
    if (this.holding) await this.reads.releaseLease(this.leaseName, this.settings.owner);
    this.holding = false;
  }

  private get dropGraceMs(): number {
    return this.settings.dropGraceMs ?? DROP_GRACE_MS;
  }

  /** Leases and progress go by the injected clock, like every other time the manager records. */
  private millis(): number {
    return this.settings.now().getTime();
  }

  private get leaseName() {
    return `projection/${this.name}`;
  }

  /** One tick at a time: two overlapping take-overs would start two live runners on one collection. */
  private tick(): Promise<void> {
    this.ticking ??= this.renew().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async renew(): Promise<void> {
    try {
      const fence = await this.reads.acquireLease(this.leaseName, this.settings.owner, this.settings.leaseTtlMs, this.millis());
      const held = fence !== false;
      // Another owner held the lease between two ticks (it expired here): the runners here are stale.
      if (held && this.holding && fence !== this.fence) {
        await this.stopRunners();
        this.holding = false;
      }
      if (held) this.fence = fence;
      if (held && !this.holding) await this.takeOver();
      if (!held && this.holding) await this.stopRunners();
      this.holding = held;
      // The live runner stopped on an error (a store that did not answer, a checkpoint conflict):
      // start it again, from the stored checkpoint.
      if (held && this.live?.ended) this.relaunchLive(this.live);
      if (held) await this.syncRebuild();
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  private async takeOver(): Promise<void> {
    const active = await this.ensureActive();
    this.failure = null;
    this.live = this.launch(collectionOf(this.name, active.generation));
    const rebuild = await readRebuild(this.reads, this.name);
    if (rebuild?.status === 'running') this.rebuild = this.launchRebuild(rebuild);
    // The document shape changed since the live generation was built: rebuild it beside.
    else if (active.version !== this.projection.version) await this.startRebuild();
    this.sweepLater();
  }

  /** After the grace a switch-over gives (queries elsewhere may still read what they found a moment ago). */
  private sweepLater(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      // Lost meanwhile: the next holder sweeps when it takes the projection over.
      if (!this.holding) return;
      void this.dropLeftovers().catch((error: unknown) =>
        this.logger?.warn('dropping a generation left behind failed; the next take-over tries again', { error: describeError(error) }),
      );
    }, this.dropGraceMs);
    this.sweepTimer.unref();
  }

  /**
   * Drops the generations that are neither active nor being rebuilt: left by a process that ended
   * between a switch-over and its drop or during the drop, or by a failed rebuild. Nothing projects
   * into them any more, so a later erasure would not reach the personal data they hold (decision
   * 0049). The order of the reads matters: the list first (a rebuild records its generation before
   * creating it, so one started meanwhile is not listed yet or recorded as running), then the
   * rebuild record, then the active one (a switch-over sets the active generation before it records
   * the rebuild as done, so the generation switched to is kept either way).
   */
  async dropLeftovers(): Promise<string[]> {
    const prefix = generationsPrefix(this.name);
    const listed = await this.reads.listCollections(prefix);
    const rebuild = await readRebuild(this.reads, this.name);
    const active = await readActive(this.reads, this.name);
    if (!active) return []; // nothing recorded yet: no generation is known to be left behind
    const kept = new Set([active.generation, rebuild?.status === 'running' ? rebuild.generation : undefined]);
    const left = listed
      .map((collection) => Number(collection.slice(prefix.length)))
      .filter((generation) => Number.isSafeInteger(generation) && generation > 0 && !kept.has(generation));
    for (const generation of left) await this.dropGeneration(generation);
    return left.map((generation) => collectionOf(this.name, generation));
  }

  private relaunchLive(failed: Running): void {
    this.logger?.warn('projection runner stopped; starting it again', {
      collection: failed.runner.collection,
      error: failed.runner.lastError,
    });
    this.failure = null;
    this.live = this.launch(failed.runner.collection);
  }

  private async ensureActive(): Promise<ActiveGeneration> {
    const initial: ActiveGeneration = { generation: 1, version: this.projection.version };
    await this.reads.compareAndSetMeta(activeKey(this.name), null, initial);
    return (await readActive(this.reads, this.name)) ?? initial;
  }

  private launch(collection: string, onCaughtUp?: () => Promise<void>, mode: RunnerMode = 'live'): Running {
    const abort = new AbortController();
    const runner = new ProjectionRunner(this.projection, collection, this.events, this.reads, this.settings, this.logger, mode, this.fence);
    const running: Running = { runner, abort, caughtUp: false, ended: false, done: Promise.resolve() };
    running.done = runner
      .run(abort.signal, async () => {
        running.caughtUp = true;
        await onCaughtUp?.();
      })
      .catch((error: unknown) => {
        runner.lastError = error instanceof Error ? error.message : String(error);
        this.failure = runner.lastError;
      })
      .finally(() => {
        running.ended = true;
      });
    return running;
  }

  private async stopRunners(): Promise<void> {
    const running = [this.live, this.rebuild].filter((r): r is Running => r !== null);
    running.forEach((r) => r.abort.abort());
    await Promise.all(running.map((r) => r.done));
    this.live = null;
    this.rebuild = null;
  }

  async status(): Promise<ProjectionStatus> {
    const head = await this.events.headPosition(this.projection.category);
    const active = await readActive(this.reads, this.name);
    const checkpoint = active ? await this.reads.getCheckpoint(collectionOf(this.name, active.generation)) : null;
    const parked = active ? (await listParked(this.reads, collectionOf(this.name, active.generation))).length : 0;
    return {
      name: this.name,
      status: this.holding ? this.describe() : await this.elsewhere(),
      generation: active?.generation ?? null,
      checkpoint: checkpoint?.toString() ?? null,
      head: head.toString(),
      lag: checkpoint === null ? head.toString() : (head > checkpoint ? head - checkpoint : 0n).toString(),
      parked,
      lastError: this.live?.runner.lastError ?? this.failure,
    };
  }

  /** Not held here: another process runs it while its lease is valid ('standby' here), else nobody does. */
  private async elsewhere(): Promise<ProjectionStatus['status']> {
    const lease = await this.reads.getLease(this.leaseName);
    return lease && lease.expiresAt > this.millis() ? 'standby' : 'stopped';
  }

  private describe(): ProjectionStatus['status'] {
    if (!this.leaseTimer) return 'stopped';
    if (!this.holding) return 'standby';
    if (!this.live || this.live.ended) return 'failed';
    return this.live.caughtUp ? 'running' : 'catching-up';
  }

  /**
   * Rebuild requests and cancellations are records in the read store, so any process may make
   * them: the lease holder starts, reports and stops the rebuild runner on its next tick.
   */
  private async syncRebuild(): Promise<void> {
    const stored = await readRebuild(this.reads, this.name);
    if (stored?.status === 'running' && !this.rebuild) this.rebuild = this.launchRebuild(stored);
    // Compare-and-set: a cancel written by another process since the read is not overwritten by "running".
    else if (stored?.status === 'running' && this.rebuild) {
      if (this.millis() - this.progressWrittenAt < PROGRESS_EVERY_MS) return;
      this.progressWrittenAt = this.millis();
      await this.reads.compareAndSetMeta(rebuildKey(this.name), stored, this.progress(stored, this.rebuild.runner));
    } else if (stored?.status === 'cancelled' && this.rebuild) await this.cancelRebuild();
  }

  /** Starts a rebuild into the next generation; refuses while one runs (returns its status). */
  async startRebuild(): Promise<{ started: boolean; status: RebuildStatus }> {
    const current = await readRebuild(this.reads, this.name);
    if (current?.status === 'running') return { started: false, status: current };
    const active = await this.ensureActive();
    // An event count, not a position: positions are not dense (other categories, ESDB byte offsets).
    const total = await this.events.countEvents(this.projection.category);
    const status: RebuildStatus = {
      status: 'running',
      generation: Math.max(active.generation, current?.generation ?? 0) + 1,
      startedAt: this.settings.now().toISOString(),
      finishedAt: null,
      done: 0,
      total,
      rate: 0,
      eta: null,
      error: null,
    };
    if (!(await this.reads.compareAndSetMeta(rebuildKey(this.name), current, status))) return this.startRebuild();
    if (this.holding) this.rebuild = this.launchRebuild(status);
    return { started: true, status };
  }

  private launchRebuild(status: RebuildStatus): Running {
    const collection = collectionOf(this.name, status.generation);
    // Bulk catch-up into a generation queries do not read yet; its indexes are built before the switch.
    const running = this.launch(collection, () => this.switchTo(status), 'rebuild');
    running.done = running.done.then(async () => {
      const error = running.runner.lastError;
      if (error && !running.caughtUp && !running.abort.signal.aborted) {
        await this.finishRebuild(status, 'failed', error, running.runner);
        this.sweepLater(); // its generation is left behind
      }
    });
    return running;
  }

  /** The rebuild caught up: queries switch to it, it becomes the live runner, the old generation goes. */
  private async switchTo(status: RebuildStatus): Promise<void> {
    // Cancelled meanwhile (maybe by another process): no switch; the next tick stops this runner.
    const current = await readRebuild(this.reads, this.name);
    if (current?.status !== 'running' || current.generation !== status.generation) return;
    await this.reads.setMeta(activeKey(this.name), { generation: status.generation, version: this.projection.version });
    const old = this.live;
    const rebuilt = this.rebuild;
    this.live = rebuilt;
    this.rebuild = null;
    await this.finishRebuild(status, 'done', null, rebuilt?.runner);
    if (old) {
      old.abort.abort();
      await old.done;
    }
    // The old generation goes after the grace (queries that read it a moment ago finish first).
    this.sweepLater();
  }

  async rebuildStatus(): Promise<RebuildStatus | null> {
    const stored = await readRebuild(this.reads, this.name);
    if (!stored || stored.status !== 'running' || !this.rebuild) return stored;
    return this.progress(stored, this.rebuild.runner);
  }

  private progress(stored: RebuildStatus, runner: ProjectionRunner): RebuildStatus {
    const seconds = Math.max(0.001, (this.settings.now().getTime() - Date.parse(stored.startedAt)) / 1000);
    const done = runner.processed;
    const rate = done / seconds;
    const total = Math.max(stored.total, done);
    return { ...stored, done, total, rate: Math.round(rate), eta: rate > 0 ? Math.ceil((total - done) / rate) : null };
  }

  async cancelRebuild(): Promise<RebuildStatus | null> {
    const stored = await readRebuild(this.reads, this.name);
    if (!stored || (stored.status !== 'running' && !(stored.status === 'cancelled' && this.rebuild))) return stored;
    const rebuild = this.rebuild;
    // Recorded first, so a switch-over that has not begun yet refuses to happen (switchTo re-reads it).
    const cancelled = await this.finishRebuild(stored, 'cancelled', null, rebuild?.runner);
    if (!rebuild) return cancelled; // another process holds it: its next tick stops the runner
    rebuild.abort.abort();
    await rebuild.done;
    this.rebuild = null;
    // A switch-over already under way when the cancel came finished first: the rebuild is live now.
    if ((await readActive(this.reads, this.name))?.generation === stored.generation) return readRebuild(this.reads, this.name);
    await this.dropGeneration(stored.generation);
    return cancelled;
  }

  private async finishRebuild(
    status: RebuildStatus,
    outcome: RebuildStatus['status'],
    error: string | null,
    runner?: ProjectionRunner,
  ): Promise<RebuildStatus> {
    const progress = runner ? this.progress(status, runner) : status;
    const final: RebuildStatus = {
      ...progress,
      // `total` was the count when it started (events written meanwhile are folded too); once done, `done` is exact.
      ...(outcome === 'done' ? { total: progress.done } : {}),
      status: outcome,
      finishedAt: this.settings.now().toISOString(),
      eta: 0,
      error,
    };
    await this.reads.setMeta(rebuildKey(this.name), final);
    return final;
  }

  private async dropGeneration(generation: number): Promise<void> {
    const collection = collectionOf(this.name, generation);
    await this.reads.dropCollection(collection);
    await this.reads.deleteCheckpoint(collection);
    for (const parked of await listParked(this.reads, collection)) await unpark(this.reads, parked);
  }
}
