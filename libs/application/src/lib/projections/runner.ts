import type { EventStore, RecordedEvent } from '@wih/event-store';
import type { Projection, ProjectedEvent } from '@wih/projections';
import { CheckpointConflictError, type CollectionSpec, type DocWrite, type ReadStore } from '@wih/read-store';
import { AdminRequests } from './admin-requests';
import { ParkedBarrier } from './parked-barrier';
import { partitionedCatchUp } from './partitioned-catch-up';
import { park, parkedEventIdOf, readParkedEvents, unpark, type ParkedEvent } from './parking';
import { toProjectedEvent } from './projected-event';
import { RebuildBuffer, type Slot } from './rebuild-buffer';
import { evolveWithRetry } from './retrying-evolve';
import { defaultRunnerSettings, describeError, type RunnerLogger, type RunnerMode, type RunnerSettings } from './runner-settings';

export { defaultRunnerSettings, type RunnerLogger, type RunnerMode, type RunnerSettings } from './runner-settings';

/** The read store's view of a projection's collection. */
export const collectionSpecOf = (projection: Projection<unknown>, collection: string): CollectionSpec => ({
  name: collection,
  indexes: projection.indexes,
  compoundIndexes: projection.compoundIndexes,
  searchIndexes: projection.searchIndexes,
});
/**
 * An embedded store answers synchronously, so a catch-up would otherwise be one long chain of
 * microtasks: no timer (lease renewal) and no I/O (HTTP queries) would run until it ended.
 */
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Applies one projection to one collection (a generation of its read model): reads the log from
 * the checkpoint in batches, folds each batch with the pure projection and commits documents and
 * checkpoint in one atomic write (compare-and-set on the checkpoint, per-document position guard),
 * so a crash anywhere neither loses nor double-applies an event.
 *
 * This file is the loop; the rebuild's in-memory buffer (rebuild-buffer.ts), the parked barrier
 * (parked-barrier.ts, parking.ts), the admin requests (admin-requests.ts) and the partitioned
 * catch-up (partitioned-catch-up.ts) each live in their own.
 */
export class ProjectionRunner {
  private checkpoint: bigint | null = null;
  private parked = new ParkedBarrier();
  private bulk: RebuildBuffer | null = null;
  private serial: Promise<unknown> = Promise.resolve();
  private readonly handles: ReadonlySet<string>;
  /** Events read (handled or not) since start; for progress reporting. */
  processed = 0;
  lastError: string | null = null;

  constructor(
    readonly projection: Projection<unknown>,
    readonly collection: string,
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly settings: RunnerSettings = defaultRunnerSettings,
    private readonly logger?: RunnerLogger,
    readonly mode: RunnerMode = 'live',
    /** The lease's fence (ProjectionManager): every commit carries it, so a stale holder's commits are refused. */
    private readonly fence?: number,
  ) {
    this.handles = new Set(projection.handles);
  }

  private get spec(): CollectionSpec {
    return collectionSpecOf(this.projection, this.collection);
  }

  get position(): bigint | null {
    return this.checkpoint;
  }

  async init(): Promise<void> {
    await this.reads.ensureCollection(this.spec, { deferIndexes: this.mode === 'rebuild' });
    this.checkpoint = await this.reads.getCheckpoint(this.collection);
    // The fence goes onto the checkpoint before anything is read: from now on a holder that lost
    // the lease (paused, with a batch in flight) cannot commit, even before this runner's first batch.
    if (this.fence !== undefined && this.checkpoint !== null) {
      await this.reads.commit(this.collection, [], {
        name: this.collection,
        expected: this.checkpoint,
        next: this.checkpoint,
        fence: this.fence,
      });
    }
    this.parked = await ParkedBarrier.load(this.reads, this.collection);
    // No checkpoint yet: the generation holds no document (every commit moves the checkpoint).
    this.bulk = this.mode === 'rebuild' ? new RebuildBuffer(this.checkpoint === null, this.checkpoint) : null;
  }

  /** Catch-up (read the log to its end), then `onCaughtUp`, then live until `signal` aborts. */
  async run(signal: AbortSignal, onCaughtUp?: () => Promise<void>): Promise<void> {
    await this.init();
    const stopRequests = new AdminRequests({
      reads: this.reads,
      collection: this.collection,
      pollMs: this.settings.requestPollMs,
      now: this.settings.now,
      exclusive: (work) => this.exclusive(work),
      retry: (key, parked) => this.retry(key, parked),
      onError: (error) => {
        this.lastError = error;
        this.logger?.warn('projection admin requests failed', { collection: this.collection, error });
      },
    }).start();
    try {
      const category = this.projection.category;
      const batchSize = this.bulk ? this.settings.rebuildBatchSize : this.settings.batchSize;
      // Parts split the log by stream: only a document made of one stream's events is folded whole in one part.
      const partitions = this.projection.documents === 'per-stream' ? this.settings.partitions : undefined;
      if (this.bulk && this.checkpoint === null && this.parked.size === 0 && partitions) await this.foldInParts(partitions, signal);
      // Stopped before a rebuild's commit: what it folded since its last commit is read again on resume.
      for await (const batch of this.events.readAll({ after: this.checkpoint ?? undefined, category, batchSize })) {
        if (signal.aborted) return;
        await this.exclusive(() => this.apply(batch));
        await yieldToEventLoop();
      }
      if (signal.aborted) return; // stopped after reading the log to its end: no switch-over
      if (this.bulk) await this.exclusive(() => this.finishBulk());
      await onCaughtUp?.();
      for await (const batch of this.events.subscribe({
        after: this.checkpoint ?? undefined,
        category,
        batchSize: this.settings.batchSize,
        signal,
      })) {
        await this.exclusive(() => this.apply(batch));
        await yieldToEventLoop();
      }
    } finally {
      stopRequests();
      // A poll still queued or running finishes before `run` ends: no store call after the runner stopped.
      await this.serial;
    }
  }

  /** Batches and admin actions never interleave. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.serial.then(work, work);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async apply(batch: readonly RecordedEvent[]): Promise<void> {
    const events: ProjectedEvent[] = [];
    const positions: bigint[] = [];
    for (const recorded of batch) {
      if (!this.handles.has(recorded.type)) continue;
      events.push(toProjectedEvent(recorded));
      positions.push(recorded.position);
    }
    const slots = await this.load(events);
    for (let i = 0; i < events.length; i++) {
      // The common case without a promise per event; parking and retries take the slow path.
      const failure = this.applyNow(events[i], positions[i], slots);
      if (failure !== true) await this.applyOne(events[i], slots, failure);
    }
    const next = batch[batch.length - 1].position;
    if (!this.bulk) {
      await this.commit(slots, next);
      this.processed += batch.length;
      return;
    }
    this.processed += batch.length;
    this.bulk.folded(next, batch.length);
    if (this.bulk.due(this.settings.rebuildCommitEvents)) await this.flush();
  }

  /** The batch's documents: a rebuild's from memory (the store only for those it has not seen), else from the store. */
  private async load(events: readonly ProjectedEvent[]): Promise<Map<string, Slot>> {
    const keys = [...new Set(events.map((e) => this.projection.keyOf(e)))];
    const bulk = this.bulk;
    const missing = bulk ? bulk.missing(keys) : keys;
    const slots = bulk ? bulk.docs : new Map<string, Slot>();
    const stored = missing.length === 0 ? new Map() : await this.reads.getMany<unknown>(this.collection, missing);
    for (const [key, s] of stored) slots.set(key, { doc: s.doc, position: s.position, changed: false });
    if (bulk) for (const key of missing) if (!stored.has(key)) bulk.absent(key);
    return slots;
  }

  /** true when applied (or applied before); otherwise the slow path is needed: the error of the first attempt, or null. */
  private applyNow(event: ProjectedEvent, position: bigint, slots: Map<string, Slot>): true | string | null {
    const key = this.projection.keyOf(event);
    const slot = slots.get(key);
    if (slot && position <= slot.position) return true; // applied before: replay guard
    if (this.parked.has(key)) return null;
    let doc: unknown;
    try {
      doc = this.projection.evolve(slot?.doc ?? null, event);
    } catch (error) {
      return describeError(error);
    }
    this.store(slots, key, slot, doc, position);
    return true;
  }

  /** Slots are the runner's own: updated in place (the documents in them are never changed). */
  private store(slots: Map<string, Slot>, key: string, slot: Slot | undefined, doc: unknown, position: bigint): void {
    if (slot) {
      slot.doc = doc;
      slot.position = position;
      slot.changed = true;
    } else {
      slots.set(key, { doc, position, changed: true });
    }
    this.bulk?.dirty.add(key);
  }

  private async applyOne(event: ProjectedEvent, slots: Map<string, Slot>, firstError: string | null = null): Promise<boolean> {
    const key = this.projection.keyOf(event);
    const slot = slots.get(key);
    const position = BigInt(event.position);
    if (slot && position <= slot.position) return true; // applied before: replay guard
    const parkedFrom = this.parked.from(key);
    // At or after the document's first parked event (a resumed runner meets earlier ones again: those apply).
    if (parkedFrom !== undefined && position >= parkedFrom) {
      // The first parked event itself, met again after a restart: it stays parked as it was.
      if (position > parkedFrom) await this.park(event, key, 'an earlier event of this document is parked', 0);
      return false;
    }
    const result = await evolveWithRetry(this.projection, this.settings.retryDelaysMs, slot?.doc ?? null, event, firstError);
    if ('error' in result) {
      this.parked.hold(key, position);
      await this.park(event, key, result.error, this.settings.retryDelaysMs.length + 1);
      return false;
    }
    this.store(slots, key, slot, result.doc, position);
    return true;
  }

  /** Parked before the checkpoint moves past it: a crash in between parks it again, never loses it. */
  private async park(event: ProjectedEvent, key: string, error: string, attempts: number): Promise<void> {
    const parked: ParkedEvent = {
      projection: this.collection,
      key,
      position: event.position,
      eventId: parkedEventIdOf(event.streamId, event.revision),
      type: event.type,
      error,
      attempts,
      parkedAt: this.settings.now().toISOString(),
    };
    await park(this.reads, parked);
    this.lastError = `${event.type} at ${event.position} parked: ${error}`;
    this.logger?.warn('projection event parked', { collection: this.collection, key, position: event.position, type: event.type });
  }

  private async commit(slots: Map<string, Slot>, next: bigint, ids?: Iterable<string>): Promise<void> {
    const writes: DocWrite[] = [];
    for (const id of ids ?? slots.keys()) {
      const s = slots.get(id) as Slot;
      if (s.changed) writes.push({ id, doc: s.doc, position: s.position, index: s.doc === null ? {} : this.projection.indexOf(s.doc) });
    }
    try {
      await this.reads.commit(this.collection, writes, { name: this.collection, expected: this.checkpoint, next, ...this.fenced() });
    } catch (error) {
      if (error instanceof CheckpointConflictError) this.lastError = 'another runner moved the checkpoint; stopping';
      throw error;
    }
    this.checkpoint = next;
  }

  private fenced(): { fence?: number } {
    return this.fence === undefined ? {} : { fence: this.fence };
  }

  /** A rebuild's commit: each document changed since the last one, once, with the checkpoint of the last event folded. */
  private async flush(): Promise<void> {
    const bulk = this.bulk;
    if (!bulk || bulk.position === null || bulk.committed(this.checkpoint)) return;
    await this.commit(bulk.docs, bulk.position, bulk.dirty);
    bulk.written(this.settings.rebuildCachedDocs);
  }

  private async foldInParts(partitions: NonNullable<RunnerSettings['partitions']>, signal: AbortSignal): Promise<void> {
    const before = this.processed;
    const outcome = await partitionedCatchUp({
      projection: this.projection,
      collection: this.collection,
      events: this.events,
      reads: this.reads,
      partitions,
      signal,
      fence: this.fenced(),
      logger: this.logger,
      exclusive: (work) => this.exclusive(work),
      onProgress: (events) => {
        this.processed += events;
      },
    });
    // The runner's own fold reads these events again and counts them then.
    if (outcome === 'failed') this.processed = before;
    if (typeof outcome !== 'object') return;
    this.checkpoint = outcome.committed;
    this.processed = before + outcome.events;
    // The documents are in the store, not in memory: later batches read those they touch.
    this.bulk = new RebuildBuffer(false, outcome.committed);
  }

  /** Caught up: the rest is committed, then the indexes are built, before anyone is told (and queries switch). */
  private async finishBulk(): Promise<void> {
    await this.flush();
    this.bulk = null;
    await this.reads.ensureIndexes(this.spec);
  }

  /** An admin's retry: the document's parked events, read again from their streams, applied in log order. */
  private async retry(key: string, parked: readonly ParkedEvent[]): Promise<void> {
    this.parked.release(key);
    const events = await readParkedEvents(this.events, this.projection.category, parked);
    const missing = parked.filter((p) => !events.some((e) => e.position === p.position));
    // Not in the log any more: it stays parked, and so the document's later events stay behind it.
    for (const p of missing) this.parked.hold(key, BigInt(p.position));
    if (missing.length > 0)
      this.logger?.warn('parked events not found for a retry', {
        collection: this.collection,
        key,
        positions: missing.map((p) => p.position),
      });
    const slots = await this.load(events);
    const applied: ParkedEvent[] = [];
    for (const event of events) {
      if (await this.applyOne(event, slots)) applied.push(parked.find((p) => p.position === event.position) as ParkedEvent);
    }
    // The documents first, then the parked records: a crash in between leaves them parked, not lost.
    // A rebuild commits everything it folded so far (the store is behind its memory).
    if (this.bulk) await this.flush();
    else if (this.checkpoint !== null) await this.commit(slots, this.checkpoint);
    for (const entry of applied) await unpark(this.reads, entry);
  }
}
