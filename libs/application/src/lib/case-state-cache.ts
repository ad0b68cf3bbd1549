import { evolveCase, initialCaseState, RESERVATION_FENCE, type CaseState } from '@wih/domain';
import type { EventStore, RecordedEvent } from '@wih/event-store';
import { decodeCaseEvent, sealedKeyIdOf } from './codec';
import { findReplay, type IdempotencyRecord } from './idempotency';

/** What a command decides on: the folded state at `revision` and the stream's idempotency records. */
export interface CaseView {
  /** The last revision folded into `state`; -1 when the stream does not exist. */
  readonly revision: number;
  /** The log position of the event at `revision` (0n when the stream does not exist). */
  readonly position: bigint;
  readonly state: CaseState;
  /** The last event written under this key (or null); throws when the key came with another request. */
  replayOf(record: IdempotencyRecord | undefined): RecordedEvent | null;
}

interface Entry {
  readonly revision: number;
  readonly position: bigint;
  readonly state: CaseState;
  /** Per idempotency key, the last event written under it, without its data (but the id of the key it sealed with). */
  readonly keyed: ReadonlyMap<string, RecordedEvent>;
}

const EMPTY: Entry = { revision: -1, position: 0n, state: initialCaseState(), keyed: new Map() };

const keyOf = (event: RecordedEvent): string | undefined =>
  (event.metadata as { idempotency?: { key?: string } } | null)?.idempotency?.key;

/**
 * The folded state of recently used case streams, so that a command reads and decodes only the
 * events appended since (`fromRevision`) instead of the whole history on every attempt.
 *
 * Every load still reads the store, so events written by another process or store handle are
 * folded in before any decision. The cache only ever saves reading events it already folded; if it
 * were ever ahead of the store, the append's expected revision fails with a ConcurrencyError, the
 * handler calls `forget` and the retry reads the whole stream. Entries only move forward: of two
 * concurrent loads of one stream, the one that folded further stays.
 */
export class CaseStateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxStreams = 5000) {}

  async load(store: EventStore, stream: string): Promise<CaseView> {
    const cached = this.entries.get(stream) ?? EMPTY;
    const tail = await store.readStream(stream, { fromRevision: cached.revision + 1 });
    // A tail that does not continue the cached revision means the cache is unusable: start over.
    if (tail.length > 0 && tail[0].revision !== cached.revision + 1) {
      this.forget(stream);
      return this.load(store, stream);
    }
    const entry = tail.length === 0 ? cached : fold(cached, tail);
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
  private remember(stream: string, entry: Entry): void {
    const current = this.entries.get(stream);
    this.entries.delete(stream);
    this.entries.set(stream, current && current.revision > entry.revision ? current : entry);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function fold(from: Entry, events: readonly RecordedEvent[]): Entry {
  let state = from.state;
  let keyed: Map<string, RecordedEvent> | undefined;
  for (const event of events) {
    if (event.type !== RESERVATION_FENCE) state = evolveCase(state, decodeCaseEvent(event));
    const key = keyOf(event);
    if (key === undefined) continue;
    keyed ??= new Map(from.keyed);
    const kid = sealedKeyIdOf(event);
    keyed.set(key, { ...event, data: kid === null ? null : { personal: { kid } } });
  }
  const last = events[events.length - 1];
  return { revision: last.revision, position: last.position, state, keyed: keyed ?? from.keyed };
}

const caches = new WeakMap<EventStore, CaseStateCache>();

/** One cache per store handle: two handles on one database file each see the other's writes as news. */
export const caseStateCacheOf = (store: EventStore): CaseStateCache => {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new CaseStateCache()));
  return cache;
};
