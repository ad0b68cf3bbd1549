import { streamName, type EventStore, type RecordedEvent } from '@wih/event-store';
import type { Projection, ProjectedEvent } from '@wih/projections';
import { CheckpointConflictError, type DocWrite, type ReadStore } from '@wih/read-store';
import { listParked, park, takeParkedRequests, unpark, type ParkedEvent } from './parking';
import { toProjectedEvent } from './projected-event';

export interface RunnerSettings {
  readonly batchSize: number;
  /** Pauses before each retry of a throwing projection; after the last, the event is parked. */
  readonly retryDelaysMs: readonly number[];
  /** How often admin requests (retry / skip parked events) are looked for. */
  readonly requestPollMs: number;
  readonly now: () => Date;
}

export const defaultRunnerSettings: RunnerSettings = {
  batchSize: 500, retryDelaysMs: [10, 100, 500], requestPollMs: 250, now: () => new Date(),
};

export interface RunnerLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

type Slot = { doc: unknown; position: bigint; changed: boolean };
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
  private parkedKeys = new Set<string>();
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
  ) {
    this.handles = new Set(projection.handles);
  }

  get position(): bigint | null {
    return this.checkpoint;
  }

  async init(): Promise<void> {
    await this.reads.ensureCollection({ name: this.collection, indexes: this.projection.indexes });
    this.checkpoint = await this.reads.getCheckpoint(this.collection);
    const parked = await listParked(this.reads, this.collection);
    this.parkedKeys = new Set(parked.map((p) => p.key));
  }

  /** Catch-up (read the log to its end), then `onCaughtUp`, then live until `signal` aborts. */
  async run(signal: AbortSignal, onCaughtUp?: () => Promise<void>): Promise<void> {
    await this.init();
    const requests = setInterval(() => this.pollRequests(), this.settings.requestPollMs);
    try {
      const category = 'case';
      for await (const batch of this.events.readAll({ after: this.checkpoint ?? undefined, category, batchSize: this.settings.batchSize })) {
        if (signal.aborted) return;
        await this.exclusive(() => this.apply(batch));
        await yieldToEventLoop();
      }
      if (signal.aborted) return; // stopped after reading the log to its end: no switch-over
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
    const events = batch.filter((e) => this.handles.has(e.type)).map(toProjectedEvent);
    const slots = await this.load(events);
    for (const event of events) await this.applyOne(event, slots);
    const next = batch[batch.length - 1].position;
    await this.commit(slots, next);
    this.processed += batch.length;
  }

  private async load(events: readonly ProjectedEvent[]): Promise<Map<string, Slot>> {
    const keys = [...new Set(events.map((e) => this.projection.keyOf(e)))];
    const stored = await this.reads.getMany<unknown>(this.collection, keys);
    return new Map([...stored].map(([key, s]) => [key, { doc: s.doc, position: s.position, changed: false }]));
  }

  private async applyOne(event: ProjectedEvent, slots: Map<string, Slot>): Promise<boolean> {
    const key = this.projection.keyOf(event);
    const slot = slots.get(key);
    if (slot && BigInt(event.position) <= slot.position) return true; // applied before: replay guard
    if (this.parkedKeys.has(key)) {
      await this.park(event, key, 'an earlier event of this document is parked', 0);
      return false;
    }
    const result = await this.evolveWithRetry(slot?.doc ?? null, event);
    if ('error' in result) {
      this.parkedKeys.add(key);
      await this.park(event, key, result.error, this.settings.retryDelaysMs.length + 1);
      return false;
    }
    slots.set(key, { doc: result.doc, position: BigInt(event.position), changed: true });
    return true;
  }

  private async evolveWithRetry(doc: unknown, event: ProjectedEvent): Promise<{ doc: unknown } | { error: string }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { doc: this.projection.evolve(doc, event) };
      } catch (error) {
        if (attempt >= this.settings.retryDelaysMs.length) return { error: describe(error) };
        await sleep(this.settings.retryDelaysMs[attempt]);
      }
    }
  }

  /** Parked before the checkpoint moves past it: a crash in between parks it again, never loses it. */
  private async park(event: ProjectedEvent, key: string, error: string, attempts: number): Promise<void> {
    const parked: ParkedEvent = {
      projection: this.collection, key, position: event.position, eventId: `${event.caseId}@${event.revision}`, type: event.type,
      error, attempts, parkedAt: this.settings.now().toISOString(),
    };
    await park(this.reads, parked);
    this.lastError = `${event.type} at ${event.position} parked: ${error}`;
    this.logger?.warn('projection event parked', { collection: this.collection, key, position: event.position, type: event.type });
  }

  private async commit(slots: Map<string, Slot>, next: bigint): Promise<void> {
    const writes: DocWrite[] = [...slots].filter(([, s]) => s.changed).map(([id, s]) => ({
      id, doc: s.doc, position: s.position, index: s.doc === null ? {} : this.projection.indexOf(s.doc),
    }));
    try {
      await this.reads.commit(this.collection, writes, { name: this.collection, expected: this.checkpoint, next });
    } catch (error) {
      if (error instanceof CheckpointConflictError) this.lastError = 'another runner moved the checkpoint; stopping';
      throw error;
    }
    this.checkpoint = next;
  }

  /** Admin requests: `retry` re-applies a document's parked events; `skip` drops its first one, then retries the rest. */
  private async handleRequests(): Promise<void> {
    for (const { key, action } of await takeParkedRequests(this.reads, this.collection)) {
      const parked = await listParked(this.reads, this.collection, key);
      if (parked.length === 0) continue;
      if (action === 'skip') {
        await this.reads.setMeta(`skipped/${this.collection}/${key}/${parked[0].position.padStart(20, '0')}`, { ...parked[0], skippedAt: this.settings.now().toISOString() });
        await unpark(this.reads, parked[0]);
      }
      await this.retry(key, action === 'skip' ? parked.slice(1) : parked);
    }
  }

  private async retry(key: string, parked: readonly ParkedEvent[]): Promise<void> {
    this.parkedKeys.delete(key);
    const positions = new Set(parked.map((p) => p.position));
    const stream = await this.events.readStream(streamName('case', key));
    const events = stream.filter((e) => positions.has(e.position.toString())).map(toProjectedEvent);
    const slots = await this.load(events);
    const applied: ParkedEvent[] = [];
    for (const event of events) {
      if (await this.applyOne(event, slots)) applied.push(parked.find((p) => p.position === event.position) as ParkedEvent);
    }
    // The documents first, then the parked records: a crash in between leaves them parked, not lost.
    if (this.checkpoint !== null) await this.commit(slots, this.checkpoint);
    for (const entry of applied) await unpark(this.reads, entry);
  }
}
