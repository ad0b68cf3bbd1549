import type { EventStore, RecordedEvent } from '@wih/event-store';
import { sealedKeyIdOf } from './codec';
import type { StreamDecider } from './handle-command';
import { findReplay, type IdempotencyRecord } from './idempotency';

/** What a command decides on: the folded state at `revision` and the stream's idempotency records. */
export interface StreamView<State> {
  /** The last revision folded into `state`; -1 when the stream does not exist. */
  readonly revision: number;
  /** The log position of the event at `revision` (0n when the stream does not exist). */
  readonly position: bigint;
  readonly state: State;
  /** The last event written under this key (or null); throws when the key came with another request. */
  replayOf(record: IdempotencyRecord | undefined): RecordedEvent | null;
}

interface Entry<State> {
  readonly revision: number;
  readonly position: bigint;
  readonly state: State;
  /** Per idempotency key, the last event written under it, without its data (but the id of the key it sealed with). */
  readonly keyed: ReadonlyMap<string, RecordedEvent>;
}

const keyOf = (event: RecordedEvent): string | undefined => (event.metadata as { idempotency?: { key?: string } } | null)?.idempotency?.key;

/**
 * The folded state of recently used streams of one decider, so that a command reads and decodes
 * only the events appended since (`fromRevision`) instead of the whole history on every attempt.
 *
 * Every load still reads the store, so events written by another process or store handle are
 * folded in before any decision. The cache only ever saves reading events it already folded; if it
 * were ever ahead of the store, the append's expected revision fails with a ConcurrencyError, the
 * handler calls `forget` and the retry reads the whole stream. Entries only move forward: of two
 * concurrent loads of one stream, the one that folded further stays.
 */
export class StateCache<State> {
  private readonly entries = new Map<string, Entry<State>>();

  constructor(
    private readonly decider: StreamDecider<State, unknown, unknown>,
    private readonly maxStreams = 5000,
  ) {}

  async load(store: EventStore, stream: string): Promise<StreamView<State>> {
    const cached = this.entries.get(stream) ?? { revision: -1, position: 0n, state: this.decider.initialState(), keyed: new Map() };
    const tail = await store.readStream(stream, { fromRevision: cached.revision + 1 });
    // A tail that does not continue the cached revision means the cache is unusable: start over.
    if (tail.length > 0 && tail[0].revision !== cached.revision + 1) {
      this.forget(stream);
      return this.load(store, stream);
    }
    const entry = tail.length === 0 ? cached : this.fold(cached, tail);
    if (entry.revision >= 0) this.remember(stream, entry);
    return {
      revision: entry.revision,
      position: entry.position,
      state: entry.state,
      // findLast over (last keyed event per key before the tail) + tail = findLast over the stream.
      replayOf: (record) => (record ? findReplay([...entry.keyed.values(), ...tail], record) : null),
    };
  }

  forget(stream: string): void {
    this.entries.delete(stream);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Most recently used last in the Map's order; the least recently used goes when full. */
  private remember(stream: string, entry: Entry<State>): void {
    const current = this.entries.get(stream);
    this.entries.delete(stream);
    this.entries.set(stream, current && current.revision > entry.revision ? current : entry);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value as string);
  }

  private fold(from: Entry<State>, events: readonly RecordedEvent[]): Entry<State> {
    let state = from.state;
    let keyed: Map<string, RecordedEvent> | undefined;
    for (const event of events) {
      const decoded = this.decider.decode(event);
      if (decoded !== null) state = this.decider.evolve(state, decoded);
      const key = keyOf(event);
      if (key === undefined) continue;
      keyed ??= new Map(from.keyed);
      const kid = sealedKeyIdOf(event);
      keyed.set(key, { ...event, data: kid === null ? null : { personal: { kid } } });
    }
    const last = events[events.length - 1];
    return { revision: last.revision, position: last.position, state, keyed: keyed ?? from.keyed };
  }
}

const caches = new WeakMap<EventStore, Map<object, StateCache<unknown>>>();

/** One cache per store handle and decider: two handles on one database file each see the other's writes as news. */
export function stateCacheOf<State>(store: EventStore, decider: StreamDecider<State, unknown, unknown>): StateCache<State> {
  let byDecider = caches.get(store);
  if (!byDecider) caches.set(store, (byDecider = new Map()));
  let cache = byDecider.get(decider) as StateCache<State> | undefined;
  if (!cache) byDecider.set(decider, (cache = new StateCache(decider)) as StateCache<unknown>);
  return cache;
}
