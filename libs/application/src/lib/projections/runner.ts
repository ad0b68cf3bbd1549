import { streamName, type EventStore, type RecordedEvent } from '@wih/event-store';
import type { Projection, ProjectedEvent } from '@wih/projections';
import { CheckpointConflictError, type CollectionSpec, type DocWrite, type ReadStore } from '@wih/read-store';
import { writeOf, type PartitionedFold } from './partitioned';
import { parkedEventIdOf, listParked, park, recordSkipped, streamIdOfParked, takeParkedRequests, unpark, type ParkedEvent } from './parking';
import { toProjectedEvent } from './projected-event';

export interface RunnerSettings {
  readonly batchSize: number;
  /** A rebuild's catch-up reads larger batches (it commits rarely; each batch still yields to the event loop). */
  readonly rebuildBatchSize: number;
  /** A rebuild's catch-up commits after this many events read since its last commit, and when caught up. */
  readonly rebuildCommitEvents: number;
  /** A rebuild keeps at most this many documents in memory between its commits; beyond, it reads them back from the store. */
  readonly rebuildCachedDocs: number;
  /** Pauses before each retry of a throwing projection; after the last, the event is parked. */
  readonly retryDelaysMs: readonly number[];
  /** How often admin requests (retry / skip parked events) are looked for. */
  readonly requestPollMs: number;
  readonly now: () => Date;
  /**
   * A rebuild into an empty generation folds the log up to the head on these threads (split by
   * stream) and commits their documents at once; absent, or when it fails, the runner folds alone.
   */
  readonly partitions?: PartitionedFold;
}

export const defaultRunnerSettings: RunnerSettings = {
  batchSize: 500, rebuildBatchSize: 2_000, rebuildCommitEvents: 250_000, rebuildCachedDocs: 500_000,
  retryDelaysMs: [10, 100, 500], requestPollMs: 250, now: () => new Date(),
};

/**
 * `live`: commits every batch (documents and checkpoint), so queries see each event soon.
 * `rebuild`: fills a new generation that queries do not read yet. Its catch-up folds in memory and
 * commits every `rebuildCommitEvents` events, each changed document once per commit, into a table
 * without secondary indexes; when caught up it commits the rest, builds the indexes (and planner
 * statistics), and only then reports caught up. From then on it runs like a live runner.
 */
export type RunnerMode = 'live' | 'rebuild';

export interface RunnerLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

type Slot = { doc: unknown; position: bigint; changed: boolean };

/** A rebuild's catch-up state: every document seen (clean or changed since the last commit) and what it folded. */
interface Bulk {
  readonly docs: Map<string, Slot>;
  readonly dirty: Set<string>;
  /** The store holds no document that `docs` lacks: the rebuild started on an empty generation, and nothing was evicted. */
  complete: boolean;
  /** Position of the last event folded, and events read since the last commit. */
  position: bigint | null;
  events: number;
}

/** The read store's view of a projection's collection. */
export const collectionSpecOf = (projection: Projection<unknown>, collection: string): CollectionSpec => ({
  name: collection, indexes: projection.indexes, compoundIndexes: projection.compoundIndexes, searchIndexes: projection.searchIndexes,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * An embedded store answers synchronously, so a catch-up would otherwise be one long chain of
 * microtasks: no timer (lease renewal) and no I/O (HTTP queries) would run until it ended.
 */
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));
const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);

/**
 * Applies one projection to one collection (a generation of its read model): reads the log from
 * the checkpoint in batches, folds each batch with the pure projection and commits documents and
 * checkpoint in one atomic write (compare-and-set on the checkpoint, per-document position guard),
 * so a crash anywhere neither loses nor double-applies an event.
 */
export class ProjectionRunner {
  private checkpoint: bigint | null = null;
  /** Documents with parked events, and the position of the first one parked: later events wait behind it. */
  private parkedKeys = new Map<string, bigint>();
  private bulk: Bulk | null = null;
  private serial: Promise<unknown> = Promise.resolve();
  private polling = false;
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
      await this.reads.commit(this.collection, [], { name: this.collection, expected: this.checkpoint, next: this.checkpoint, fence: this.fence });
    }
    this.parkedKeys = new Map();
    for (const { key, position } of await listParked(this.reads, this.collection)) {
      const first = this.parkedKeys.get(key);
      if (first === undefined || BigInt(position) < first) this.parkedKeys.set(key, BigInt(position));
    }
    // No checkpoint yet: the generation holds no document (every commit moves the checkpoint).
    this.bulk = this.mode === 'rebuild'
      ? { docs: new Map(), dirty: new Set(), complete: this.checkpoint === null, position: this.checkpoint, events: 0 }
      : null;
  }

  /** Catch-up (read the log to its end), then `onCaughtUp`, then live until `signal` aborts. */
  async run(signal: AbortSignal, onCaughtUp?: () => Promise<void>): Promise<void> {
    await this.init();
    const requests = setInterval(() => this.pollRequests(), this.settings.requestPollMs);
    try {
      const category = this.projection.category;
      const batchSize = this.bulk ? this.settings.rebuildBatchSize : this.settings.batchSize;
      // Parts split the log by stream: only a document made of one stream's events is folded whole in one part.
      const partitions = this.projection.documents === 'per-stream' ? this.settings.partitions : undefined;
      if (this.bulk && this.checkpoint === null && this.parkedKeys.size === 0 && partitions) {
        await this.partitionedCatchUp(partitions, signal);
      }
      // Stopped before a rebuild's commit: what it folded since its last commit is read again on resume.
      for await (const batch of this.events.readAll({ after: this.checkpoint ?? undefined, category, batchSize })) {
        if (signal.aborted) return;
        await this.exclusive(() => this.apply(batch));
        await yieldToEventLoop();
      }
      if (signal.aborted) return; // stopped after reading the log to its end: no switch-over
      if (this.bulk) await this.exclusive(() => this.finishBulk());
      await onCaughtUp?.();
      for await (const batch of this.events.subscribe({ after: this.checkpoint ?? undefined, category, batchSize: this.settings.batchSize, signal })) {
        await this.exclusive(() => this.apply(batch));
        await yieldToEventLoop();
      }
    } finally {
      clearInterval(requests);
      // A poll still queued or running finishes before `run` ends: no store call after the runner stopped.
      await this.serial;
    }
  }

  /**
   * One poll at a time: a poll that waits behind a long batch (or a slow store) is not queued again
   * every interval. A failing poll (the store did not answer) is reported; the next one tries again.
   */
  private pollRequests(): void {
    if (this.polling) return;
    this.polling = true;
    this.exclusive(() => this.handleRequests())
      .catch((error: unknown) => {
        this.lastError = `admin requests: ${describe(error)}`;
        this.logger?.warn('projection admin requests failed', { collection: this.collection, error: this.lastError });
      })
      .finally(() => {
        this.polling = false;
      });
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
    this.bulk.position = next;
    this.bulk.events += batch.length;
    if (this.bulk.events >= this.settings.rebuildCommitEvents) await this.flush();
  }

  /** The batch's documents: a rebuild's from memory (the store only for those it has not seen), else from the store. */
  private async load(events: readonly ProjectedEvent[]): Promise<Map<string, Slot>> {
    const keys = [...new Set(events.map((e) => this.projection.keyOf(e)))];
    const bulk = this.bulk;
    const missing = bulk ? (bulk.complete ? [] : keys.filter((key) => !bulk.docs.has(key))) : keys;
    const slots = bulk ? bulk.docs : new Map<string, Slot>();
    const stored = missing.length === 0 ? new Map() : await this.reads.getMany<unknown>(this.collection, missing);
    for (const [key, s] of stored) slots.set(key, { doc: s.doc, position: s.position, changed: false });
    // Known to be absent, so it is not read again (-1: before every position).
    if (bulk) for (const key of missing) if (!stored.has(key)) slots.set(key, { doc: null, position: -1n, changed: false });
    return slots;
  }

  /** true when applied (or applied before); otherwise the slow path is needed: the error of the first attempt, or null. */
  private applyNow(event: ProjectedEvent, position: bigint, slots: Map<string, Slot>): true | string | null {
    const key = this.projection.keyOf(event);
    const slot = slots.get(key);
    if (slot && position <= slot.position) return true; // applied before: replay guard
    if (this.parkedKeys.has(key)) return null;
    let doc: unknown;
    try {
      doc = this.projection.evolve(slot?.doc ?? null, event);
    } catch (error) {
      return describe(error);
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
    const parkedFrom = this.parkedKeys.get(key);
    // At or after the document's first parked event (a resumed runner meets earlier ones again: those apply).
    if (parkedFrom !== undefined && position >= parkedFrom) {
      // The first parked event itself, met again after a restart: it stays parked as it was.
      if (position > parkedFrom) await this.park(event, key, 'an earlier event of this document is parked', 0);
      return false;
    }
    const result = await this.evolveWithRetry(slot?.doc ?? null, event, firstError);
    if ('error' in result) {
      this.parkedKeys.set(key, parkedFrom === undefined || position < parkedFrom ? position : parkedFrom);
      await this.park(event, key, result.error, this.settings.retryDelaysMs.length + 1);
      return false;
    }
    this.store(slots, key, slot, result.doc, position);
    return true;
  }

  /** Every attempt after a failed one waits its delay first; `firstError`: the first attempt already failed. */
  private async evolveWithRetry(doc: unknown, event: ProjectedEvent, firstError: string | null): Promise<{ doc: unknown } | { error: string }> {
    let error = firstError ?? '';
    for (let attempt = firstError === null ? 0 : 1; ; attempt++) {
      if (attempt > 0) {
        if (attempt > this.settings.retryDelaysMs.length) return { error };
        await sleep(this.settings.retryDelaysMs[attempt - 1]);
      }
      try {
        return { doc: this.projection.evolve(doc, event) };
      } catch (caught) {
        error = describe(caught);
      }
    }
  }

  /** Parked before the checkpoint moves past it: a crash in between parks it again, never loses it. */
  private async park(event: ProjectedEvent, key: string, error: string, attempts: number): Promise<void> {
    const parked: ParkedEvent = {
      projection: this.collection, key, position: event.position, eventId: parkedEventIdOf(event.streamId, event.revision), type: event.type,
      error, attempts, parkedAt: this.settings.now().toISOString(),
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
    if (!bulk || bulk.position === null || (bulk.position === this.checkpoint && bulk.dirty.size === 0)) return;
    await this.commit(bulk.docs, bulk.position, bulk.dirty);
    for (const id of bulk.dirty) (bulk.docs.get(id) as Slot).changed = false;
    bulk.dirty.clear();
    bulk.events = 0;
    if (bulk.docs.size > this.settings.rebuildCachedDocs) {
      bulk.docs.clear();
      bulk.complete = false;
    }
  }

  /**
   * The log up to its head, folded on parallel threads, committed in one commit with the head as
   * checkpoint (no commit before: a crash restarts it from the start). Events appended meanwhile,
   * and everything after a failure here, the runner reads itself from the checkpoint then.
   */
  private async partitionedCatchUp(partitions: PartitionedFold, signal: AbortSignal): Promise<void> {
    const upto = await this.events.headPosition(this.projection.category);
    if (upto === 0n) return;
    let parts;
    const before = this.processed;
    try {
      parts = await partitions.fold(this.projection.name, upto, signal, (events) => { this.processed += events; });
    } catch (error) {
      // The runner's own fold reads these events again and counts them then.
      this.processed = before;
      if (!signal.aborted) this.logger?.warn('partitioned rebuild failed; folding on one thread', { collection: this.collection, error: describe(error) });
      return;
    }
    if (signal.aborted) return;
    const writes = parts.flatMap((part) => part.docs.map(writeOf));
    await this.exclusive(() => this.reads.commit(this.collection, writes, { name: this.collection, expected: null, next: upto, ...this.fenced() }));
    this.checkpoint = upto;
    this.processed = before + parts.reduce((sum, part) => sum + part.events, 0);
    // The documents are in the store, not in memory: later batches read those they touch.
    this.bulk = { docs: new Map(), dirty: new Set(), complete: false, position: upto, events: 0 };
  }

  /** Caught up: the rest is committed, then the indexes are built, before anyone is told (and queries switch). */
  private async finishBulk(): Promise<void> {
    await this.flush();
    this.bulk = null;
    await this.reads.ensureIndexes(this.spec);
  }

  /** Admin requests: `retry` re-applies a document's parked events; `skip` drops its first one, then retries the rest. */
  private async handleRequests(): Promise<void> {
    for (const { key, action } of await takeParkedRequests(this.reads, this.collection)) {
      const parked = await listParked(this.reads, this.collection, key);
      if (parked.length === 0) continue;
      if (action === 'skip') {
        await recordSkipped(this.reads, parked[0], this.settings.now().toISOString());
        await unpark(this.reads, parked[0]);
      }
      await this.retry(key, action === 'skip' ? parked.slice(1) : parked);
    }
  }

  private async retry(key: string, parked: readonly ParkedEvent[]): Promise<void> {
    this.parkedKeys.delete(key);
    const events = await this.parkedEventsOf(parked);
    const missing = parked.filter((p) => !events.some((e) => e.position === p.position));
    if (missing.length > 0) {
      // Not in the log any more: it stays parked, and so the document's later events stay behind it.
      this.parkedKeys.set(key, missing.map((p) => BigInt(p.position)).reduce((a, b) => (a < b ? a : b)));
      this.logger?.warn('parked events not found for a retry', { collection: this.collection, key, positions: missing.map((p) => p.position) });
    }
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

  /**
   * The parked events read again from their own streams (a document's key need not name a stream),
   * in log order.
   */
  private async parkedEventsOf(parked: readonly ParkedEvent[]): Promise<ProjectedEvent[]> {
    const positions = new Set(parked.map((p) => p.position));
    const events: ProjectedEvent[] = [];
    for (const streamId of new Set(parked.map(streamIdOfParked))) {
      const stream = await this.events.readStream(streamName(this.projection.category, streamId));
      for (const recorded of stream) if (positions.has(recorded.position.toString())) events.push(toProjectedEvent(recorded));
    }
    return events.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  }
}
