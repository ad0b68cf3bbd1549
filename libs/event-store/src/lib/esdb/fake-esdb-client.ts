/**
 * An in-memory stand-in for the parts of EventStoreDBClient the adapter uses, for running the
 * contract without a server. It models what the adapter must cope with: system records in $all,
 * a subscription handing over one record per tick and telling when it has caught up,
 * reads of $all that include their start position (in both directions), a subscription that may
 * deliver its start position, several events of one append sharing a commit position, JSON
 * (de)serialisation, and the client's error classes.
 */
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import { PassThrough, Readable } from 'node:stream';
import { comparePositions } from './esdb-mapping';

interface FakeSubscription extends PassThrough {
  unsubscribe(): Promise<void>;
}

interface Live {
  readonly stream: FakeSubscription;
  readonly filter?: Filter;
  /** Records not yet handed over, in order; CAUGHT_UP where the backlog ends. */
  readonly queue: (AllStreamResolvedEvent | typeof CAUGHT_UP)[];
  draining: boolean;
  readonly sent: () => void;
}

/** Server 23.10+ tells a catch-up subscription when it has sent the backlog. */
const CAUGHT_UP = Symbol('caught up');

const roundTrip = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

export class FakeEsdbClient {
  private readonly log: AllStreamResolvedEvent[] = [];
  private readonly streams = new Map<string, AllStreamResolvedEvent[]>();
  private readonly live = new Set<Live>();
  private nextPosition = 100n;
  /** Records sent to the adapter by reads and subscriptions: what would cross the network. */
  sent = 0;
  private appends = 0;

  async appendToStream(
    streamName: string,
    events: EventData[],
    { expectedRevision = ANY }: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<AppendResult> {
    await Promise.resolve();
    const existing = this.streams.get(streamName) ?? [];
    const current = existing.length === 0 ? NO_STREAM : BigInt(existing.length - 1);
    if (expectedRevision !== ANY && expectedRevision !== current) {
      throw new WrongExpectedVersionError(undefined, { streamName, expected: expectedRevision, current });
    }
    const commit = this.nextPosition;
    const records = events.map((event, i) => this.record(streamName, existing.length + i, event, { commit, prepare: commit + BigInt(i) }));
    this.nextPosition += BigInt(events.length) + 100n;
    this.streams.set(streamName, [...existing, ...records]);
    this.publish(records);
    if (++this.appends % 4 === 0) this.publish([this.systemRecord()]);
    return { success: true, nextExpectedRevision: BigInt(existing.length + events.length - 1), position: { commit, prepare: commit } };
  }

  async *readStream(streamName: string, { fromRevision = START }: { fromRevision?: bigint | typeof START } = {}) {
    await Promise.resolve();
    const records = this.streams.get(streamName);
    if (!records) throw new StreamNotFoundError(undefined, streamName);
    yield* records.slice(fromRevision === START ? 0 : Number(fromRevision));
  }

  /** Like the client's ReadStream: a Readable with cancel(). Counts what it sends (`sent`). */
  readAll(options: { fromPosition?: ReadPosition; direction?: string; maxCount?: number | bigint } = {}) {
    const counted = async function* (this: FakeEsdbClient) {
      for await (const record of this.selectAll(options)) {
        this.sent++;
        yield record;
      }
    };
    return Object.assign(Readable.from(counted.call(this)), { cancel: async () => undefined });
  }

  private async *selectAll(options: { fromPosition?: ReadPosition; direction?: string; maxCount?: number | bigint }) {
    await Promise.resolve();
    const { fromPosition = START, direction, maxCount = Number.MAX_SAFE_INTEGER } = options;
    const backwards = direction === BACKWARDS;
    const ordered = backwards ? [...this.log].reverse() : this.log;
    const from = fromPosition === START || fromPosition === END ? undefined : fromPosition;
    const selected = ordered.filter((record) => {
      if (!from) return true;
      const order = comparePositions(positionOf(record), from);
      return backwards ? order <= 0 : order >= 0;
    });
    yield* selected.slice(0, Number(maxCount));
  }

  subscribeToAll({ fromPosition = START, filter }: { fromPosition?: ReadPosition; filter?: Filter } = {}) {
    const stream = new PassThrough({ objectMode: true }) as FakeSubscription;
    const live: Live = { stream, filter, queue: [], draining: false, sent: () => this.sent++ };
    stream.unsubscribe = async () => {
      this.live.delete(live);
      stream.end();
    };
    const from = fromPosition === START || fromPosition === END ? undefined : fromPosition;
    const end = this.log.length;
    // Starts asynchronously, like the network would; the backlog is what exists by then. Each
    // record arrives on a tick of its own, as gRPC hands over its messages.
    setImmediate(() => {
      const backlog = this.log
        .slice(fromPosition === END ? end : 0)
        .filter((record) => (!from || comparePositions(positionOf(record), from) >= 0) && matches(record, filter));
      this.live.add(live);
      enqueue(live, [...backlog, CAUGHT_UP]);
    });
    return stream;
  }

  async dispose(): Promise<void> {
    this.live.forEach((live) => void live.stream.unsubscribe());
  }

  /** Subscriptions still open (for checking that the adapter unsubscribes). */
  get openSubscriptions(): number {
    return this.live.size;
  }

  private publish(records: AllStreamResolvedEvent[]): void {
    this.log.push(...records);
    for (const live of this.live)
      enqueue(
        live,
        records.filter((record) => matches(record, live.filter)),
      );
  }

  /**
   * Appends a record as another application would have written it, in the shape the client
   * gives it (`metadata` undefined or bytes, `data` bytes for `isJson: false`).
   */
  appendForeign(
    streamName: string,
    source: { readonly id: string; readonly type: string; readonly data: unknown; readonly metadata: unknown; readonly isJson: boolean },
  ): void {
    const existing = this.streams.get(streamName) ?? [];
    const position = { commit: this.nextPosition, prepare: this.nextPosition };
    this.nextPosition += 100n;
    const built = this.record(streamName, existing.length, { ...source, data: null, metadata: undefined }, position);
    const record = {
      ...built,
      event: { ...built.event, data: source.data, metadata: source.metadata, isJson: source.isJson },
    } as AllStreamResolvedEvent;
    this.streams.set(streamName, [...existing, record]);
    this.publish([record]);
  }

  private systemRecord(): AllStreamResolvedEvent {
    const position = { commit: this.nextPosition, prepare: this.nextPosition };
    this.nextPosition += 100n;
    const stats = { id: `stats-${position.commit}`, type: '$statsCollected', data: {}, metadata: undefined };
    return this.record('$stats-127.0.0.1:2113', 0, stats, position);
  }

  private record(
    streamId: string,
    revision: number,
    source: { readonly id: string; readonly type: string; readonly data: unknown; readonly metadata: unknown },
    position: Position,
  ): AllStreamResolvedEvent {
    const recorded = {
      streamId,
      id: source.id,
      isJson: true as const,
      revision: BigInt(revision),
      type: source.type,
      created: new Date(),
      data: roundTrip(source.data) as Record<string, unknown>,
      metadata: roundTrip(source.metadata) as Record<string, unknown> | undefined,
      position,
    };
    return { event: recorded, commitPosition: position.commit };
  }
}

/** Hands the queued records over one per tick, in order, until the subscription ends. */
const enqueue = (live: Live, records: readonly (AllStreamResolvedEvent | typeof CAUGHT_UP)[]): void => {
  live.queue.push(...records);
  if (live.draining) return;
  live.draining = true;
  const step = (): void => {
    const record = live.queue.shift();
    if (record === undefined || live.stream.writableEnded) {
      live.draining = false;
      return;
    }
    // Like the client's Subscription (streams/utils/Subscription.js): an event, in order with the records.
    if (record === CAUGHT_UP) live.stream.emit('caughtUp');
    else {
      live.sent();
      live.stream.write(record);
    }
    setImmediate(step);
  };
  setImmediate(step);
};

const positionOf = (record: AllStreamResolvedEvent): Position => {
  if (!record.event) throw new Error('fake records always carry an event');
  return record.event.position;
};

const matches = (record: AllStreamResolvedEvent, filter: Filter | undefined): boolean => {
  if (!filter || !record.event) return true;
  const subject = filter.filterOn === 'streamName' ? record.event.streamId : record.event.type;
  if ('prefixes' in filter) return filter.prefixes.some((prefix) => subject.startsWith(prefix));
  return new RegExp(filter.regex).test(subject);
};
