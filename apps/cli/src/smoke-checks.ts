import type { AccessLog } from '@wih/access-log';
import { additionalData, open, seal, SCHEMA_VERSION } from '@wih/application';
import { ConcurrencyError, streamName, type EventStore, type LogPosition, type NewEvent } from '@wih/event-store';
import { KeyDestroyedError, type KeyStore } from '@wih/key-store';
import { CheckpointConflictError, type CollectionSpec, type ReadStore } from '@wih/read-store';
import { randomUUID } from 'node:crypto';

/**
 * The smoke test's checks, one per store, on the ports the application uses. They write only
 * what they create themselves (a stream, a collection, a key of their own, named after the run)
 * and nothing personal. The category and the names keep them out of every read model: the
 * projections and the evaluation read the `case` category only.
 */
export const SMOKE_CATEGORY = 'smoke';

/** What one run writes under: the stream, collection and household ids derive from it. */
export interface SmokeRun {
  readonly id: string;
  readonly now: () => Date;
  /** Per step: a store that does not answer fails the step instead of hanging the run. */
  readonly stepTimeoutMs: number;
}

export const newSmokeRun = (stepTimeoutMs: number): SmokeRun => ({ id: randomUUID(), now: () => new Date(), stepTimeoutMs });

export interface CheckOutcome {
  /** The steps that passed, in order. */
  readonly passed: readonly string[];
  readonly failure?: { readonly step: string; readonly message: string };
  /** What the check left behind on purpose, or removed. */
  readonly notes: readonly string[];
}

/** Thrown out of a failed step after it was recorded: the check stops, its clean-up still runs. */
class StepFailed extends Error {}

/** Records steps; the first failure ends the check. */
export class Steps {
  private readonly passed: string[] = [];
  private readonly notes: string[] = [];
  private failure: CheckOutcome['failure'];

  constructor(private readonly timeoutMs: number) {}

  async run<T>(step: string, work: () => Promise<T>): Promise<T> {
    try {
      const value = await withDeadline(work(), this.timeoutMs);
      this.passed.push(step);
      return value;
    } catch (error) {
      this.fail(step, error);
      throw new StepFailed(step);
    }
  }

  /** A check's body; a failed step ends it, then `cleanUp` runs (its failure is recorded too, if first). */
  async check(body: () => Promise<void>, cleanUp?: () => Promise<void>): Promise<CheckOutcome> {
    try {
      await body();
    } catch (error) {
      if (!(error instanceof StepFailed)) this.fail('check', error);
    }
    if (cleanUp) {
      try {
        await withDeadline(cleanUp(), this.timeoutMs);
      } catch (error) {
        this.fail('clean-up', error);
      }
    }
    return { passed: [...this.passed], failure: this.failure, notes: [...this.notes] };
  }

  note(text: string): void {
    this.notes.push(text);
  }

  private fail(step: string, error: unknown): void {
    this.failure ??= { step, message: messageOf(error) };
  }
}

/** One line: the message, then its causes' (adapters wrap the driver's error, whose message names the reason). */
export const messageOf = (error: unknown): string => {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && parts.length < 4; e = e instanceof Error ? e.cause : undefined) {
    const text = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
    if (text && !parts.some((part) => part.includes(text))) parts.push(text);
  }
  return parts.join(': ') || 'failed without a message';
};

/** The promise, or a rejection once `ms` passed without an answer. */
export async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const expect = (condition: boolean, what: string): void => {
  if (!condition) throw new Error(what);
};

const refuses = async (work: () => Promise<unknown>, expected: new (...args: never[]) => Error, what: string): Promise<void> => {
  try {
    await work();
  } catch (error) {
    if (error instanceof expected) return;
    throw error;
  }
  throw new Error(what);
};

export const smokeStream = (run: SmokeRun): string => streamName(SMOKE_CATEGORY, run.id);

/** Names of the read store start with a letter per segment (collections.ts): no raw UUID. */
export const smokeCollection = (run: SmokeRun): string => `smoke-run${run.id.replace(/-/g, '')}`;

export const smokeHouseholdId = (run: SmokeRun): string => `smoke-${run.id}`;

/**
 * Event store: append to the run's own stream, read it back, a stale expected revision is refused,
 * a subscription started before the append sees the event. `cleanUp` removes the stream where the
 * store can (EventStoreDB); the embedded log is append-only and keeps it.
 */
export async function checkEventStore(
  store: EventStore,
  run: SmokeRun,
  cleanUp?: (stream: string) => Promise<string>,
): Promise<CheckOutcome> {
  const steps = new Steps(run.stepTimeoutMs);
  const stream = smokeStream(run);
  const at = run.now();
  const event: NewEvent = {
    id: randomUUID(),
    type: 'SmokeTestRecorded',
    data: { runId: run.id },
    // The current schema version: readers of the whole log (upcasting) take it like any other event.
    metadata: {
      commandId: run.id,
      correlationId: run.id,
      userId: 'smoke-test',
      role: 'operations',
      businessDate: at.toISOString().slice(0, 10),
      recordedAt: at.toISOString(),
      schemaVersion: SCHEMA_VERSION,
    },
  };
  const subscription = new AbortController();
  let appended = false;
  return steps.check(
    async () => {
      const head = await steps.run('head position', () => store.headPosition());
      const seen = seenBySubscription(store, head, event.id, subscription.signal);
      await steps.run('append', async () => {
        const result = await store.append(stream, [event], 'no-stream');
        appended = true;
        expect(result.revision === 0 && result.position > head, `append answered revision ${result.revision}, position ${result.position}`);
      });
      await steps.run('read back', async () => {
        const events = await store.readStream(stream);
        expect(events.length === 1, `read ${events.length} events back, expected 1`);
        const [read] = events;
        expect(
          read.id === event.id && read.type === event.type && JSON.stringify(read.data) === JSON.stringify(event.data),
          'read back another event',
        );
      });
      await steps.run('stale revision refused', () =>
        refuses(
          () => store.append(stream, [{ ...event, id: randomUUID() }], 'no-stream'),
          ConcurrencyError,
          'a second append with no-stream was accepted',
        ),
      );
      await steps.run('subscription', async () => expect(await seen, 'the subscription ended without the event'));
    },
    async () => {
      subscription.abort();
      if (!appended) return;
      steps.note(
        cleanUp ? await cleanUp(stream) : `its event stays in ${stream} (the log is append-only; read models read case streams only)`,
      );
    },
  );
}

/** Whether a subscription of the smoke category from `after` delivers the event; false when it ends first. */
function seenBySubscription(store: EventStore, after: LogPosition, eventId: string, signal: AbortSignal): Promise<boolean> {
  const seen = (async () => {
    for await (const batch of store.subscribe({ after, category: SMOKE_CATEGORY, signal })) {
      if (batch.some((e) => e.id === eventId)) return true;
    }
    return false;
  })();
  // Awaited by the subscription step; a check that fails before it must not leave a rejection unhandled.
  seen.catch(() => undefined);
  return seen;
}

/**
 * Read store: what a projection does, on a collection of its own: create it, commit documents with
 * the checkpoint, read them by id, query and count by index, refuse a commit from a stale
 * checkpoint; then drop the collection and its checkpoint.
 */
export async function checkReadStore(reads: ReadStore, run: SmokeRun): Promise<CheckOutcome> {
  const steps = new Steps(run.stepTimeoutMs);
  const name = smokeCollection(run);
  const spec: CollectionSpec = { name, indexes: ['kind', 'n'] };
  const docs = [
    { id: 'first', doc: { runId: run.id, kind: 'smoke', n: 1 }, index: { kind: 'smoke', n: 1 }, position: 1n },
    { id: 'second', doc: { runId: run.id, kind: 'other', n: 2 }, index: { kind: 'other', n: 2 }, position: 2n },
  ];
  let created = false;
  return steps.check(
    async () => {
      await steps.run('collection', async () => {
        created = true;
        await reads.ensureCollection(spec);
      });
      await steps.run('commit', () => reads.commit(name, docs, { name, expected: null, next: 2n }));
      await steps.run('query', async () => {
        const first = await reads.get<{ runId: string }>(name, 'first');
        expect(first?.doc.runId === run.id && first.position === 1n, 'the committed document did not read back');
        const found = await reads.find(name, { filters: [{ field: 'kind', op: 'eq', value: 'smoke' }], sortBy: 'n', limit: 10 });
        expect(found.map((d) => d.id).join() === 'first', `the query found [${found.map((d) => d.id).join(', ')}], expected [first]`);
        const count = await reads.count(name);
        expect(count === 2, `counted ${count} documents, expected 2`);
        const checkpoint = await reads.getCheckpoint(name);
        expect(checkpoint === 2n, `the checkpoint is ${checkpoint}, expected 2`);
      });
      await steps.run('stale checkpoint refused', () =>
        refuses(
          () => reads.commit(name, [], { name, expected: null, next: 3n }),
          CheckpointConflictError,
          'a commit from a stale checkpoint was accepted',
        ),
      );
    },
    async () => {
      if (!created) return;
      await reads.dropCollection(name);
      await reads.deleteCheckpoint(name);
      steps.note('collection dropped');
    },
  );
}

/**
 * Key store: a key for a household id of the run's own, something non-personal sealed under it
 * opens; destroying the key (the erasure) leaves it unreadable and refuses a new one. The
 * tombstone stays: destruction is final in every key store, and no case refers to that id.
 */
export async function checkKeyStore(keys: KeyStore, run: SmokeRun): Promise<CheckOutcome> {
  const steps = new Steps(run.stepTimeoutMs);
  const householdId = smokeHouseholdId(run);
  const aad = additionalData('SmokeTestRecorded', run.id);
  let stage: 'none' | 'created' | 'destroyed' = 'none';
  return steps.check(
    async () => {
      const { keyId, key } = await steps.run('create key', () => keys.getOrCreate(householdId, run.now().toISOString()));
      stage = 'created';
      const sealed = seal({ runId: run.id }, keyId, key, aad);
      await steps.run('seal and open', async () => {
        const stored = await keys.get(householdId);
        expect(stored?.status === 'active', 'the created key did not read back');
        expect(
          stored?.status === 'active' && open(sealed, stored.key, aad)?.runId === run.id,
          'the sealed text did not open under the stored key',
        );
      });
      await steps.run('destroy (erase)', () => keys.destroy(householdId, run.now().toISOString()));
      stage = 'destroyed';
      await steps.run('unreadable', async () => {
        const stored = await keys.get(householdId);
        expect(stored?.status === 'destroyed', 'the key still reads after its destruction');
        await refuses(() => keys.getOrCreate(householdId, run.now().toISOString()), KeyDestroyedError, 'a destroyed key was created again');
      });
    },
    async () => {
      if (stage === 'destroyed') steps.note(`tombstone of household ${householdId} kept (erasure is final)`);
      // Only the smoke text was sealed under it; destroy it by hand once the store works again.
      if (stage === 'created') steps.note(`the key of household ${householdId} is still active`);
    },
  );
}

/**
 * Access log: append-only (an entry could never be removed), so it is only queried, as the export
 * does; a query (unlike ping) says why it failed.
 */
export async function checkAccessLog(log: AccessLog, run: SmokeRun): Promise<CheckOutcome> {
  const steps = new Steps(run.stepTimeoutMs);
  return steps.check(
    async () => {
      await steps.run('query', () => log.find({ from: run.now().toISOString(), limit: 1 }));
    },
    async () => steps.note('nothing written (append-only)'),
  );
}
