import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Direction,
  type Filter,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { StoreUnavailableError } from '../errors';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  HeadEventReader,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  StreamRevision,
  SubscribeOptions,
} from '../port';
import { assertNotEmpty, batchSizeOf, limitOf, partitionOfOptions } from '../read-options';
import { categoryOf, partitionOf } from '../streams';
import {
  comparePositions,
  fromResolvedEvent,
  isStreamNotFound,
  isSystemEvent,
  rawPositionOf,
  toAppendResult,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEventData,
  toUserEvents,
  translateEsdbError,
  type ForeignEvent,
  type ForeignEventListener,
} from './esdb-mapping';
import { ReadableBatcher, rebatch } from './readable-batcher';

/** Records per page of a scan of $all (headPosition) and at least per batch of a read. */
const MIN_PAGE_SIZE = 500;
const PING_DEADLINE_MS = 2000;
/** How long a subscription batch may wait to fill (ReadableBatcher): the live latency it adds. */
const BATCH_FILL_MS = 10;

/**
 * The production event store on EventStoreDB (`esdb://host:2113?tls=false`).
 *
 * Reads and subscriptions of the log filter on the server (a filtered subscribeToAll: client
 * 6.x sends no filter with readAll) and again here, where records of other writers are skipped.
 */
export class EsdbEventStore implements EventStore, HeadEventReader {
  private readonly client: EventStoreDBClient;
  private readonly onForeignEvent: ForeignEventListener;

  /**
   * A connection string, or a client configured elsewhere (credentials, TLS, a test double).
   * `onForeignEvent` hears of each record of another writer a read skips (default: a warning on
   * stderr naming stream, id, type, position and why, never data).
   */
  constructor(connection: string | EventStoreDBClient, options: { readonly onForeignEvent?: ForeignEventListener } = {}) {
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.onForeignEvent = options.onForeignEvent ?? warnOfForeignEvent;
  }

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertNotEmpty(stream, events);
    try {
      const result = await this.client.appendToStream(stream, events.map(toEventData), {
        expectedRevision: toEsdbExpectedRevision(expected),
      });
      return toAppendResult(result, { stream, expected });
    } catch (error) {
      throw translateEsdbError(error, { stream, expected });
    }
  }

  async readStream(stream: string, options: { fromRevision?: StreamRevision } = {}): Promise<RecordedEvent[]> {
    const fromRevision = options.fromRevision === undefined ? START : BigInt(options.fromRevision);
    try {
      const events: RecordedEvent[] = [];
      for await (const resolved of this.client.readStream(stream, { fromRevision })) {
        const event = fromResolvedEvent(resolved);
        if (event) events.push(event);
      }
      return events;
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw translateEsdbError(error);
    }
  }

  /**
   * Client 6.2.1's readAll sends no filter (streams/readAll.js: `setNoFilter`), so reading $all
   * would move every record of the log to us. Its subscribeToAll takes one (`setFilter`): the
   * server reads $all and sends only the category's records (or, without a category, the
   * non-system ones). The read ends at the last record of $all when it began: after that record
   * itself, a checkpoint at or past it, or the server's caught-up message (EventStoreDB 23.10+),
   * whichever comes first; records written meanwhile are left to the next read.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent[]> {
    const batchSize = batchSizeOf(options.batchSize);
    const limit = limitOf(options.limit);
    const partition = partitionOfOptions(options.partition);
    if (limit === 0) return;
    const end = await this.lastRecordPosition();
    if (!end || (options.after !== undefined && end.commit <= options.after)) return;
    const events = this.filteredRead(options.after, options.category, end, Math.max(batchSize, MIN_PAGE_SIZE));
    // No server-side filter for it here: each reader of a partition reads the category and keeps its part.
    const parted = partition ? filterBatches(events, (e) => partitionOf(e.streamName, partition.count) === partition.index) : events;
    yield* rebatch(parted, batchSize, limit);
  }

  async *subscribe(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent[]> {
    const { signal, category } = options;
    const batchSize = batchSizeOf(options.batchSize);
    if (signal?.aborted) return;
    const subscription = this.client.subscribeToAll({
      fromPosition: options.after === undefined ? START : toEsdbPosition(options.after),
      filter: subscriptionFilter(category),
    });
    const batches = new ReadableBatcher<AllStreamResolvedEvent>(subscription, batchSize * 2, BATCH_FILL_MS);
    try {
      while (!signal?.aborted) {
        const page = await batches.next(batchSize, signal).catch((error: unknown) => {
          throw translateEsdbError(error);
        });
        if (page.length === 0) {
          if (signal?.aborted) return;
          throw new StoreUnavailableError('EventStoreDB ended the subscription');
        }
        // The server sends each record once, in order: only the start needs trimming (`after` is
        // exclusive, the start position may be delivered). Later positions are not compared, so
        // events of one multi-event append (one commit position) split across batches all arrive.
        const events = toUserEvents(page, options.after, category, this.onForeignEvent);
        if (events.length > 0) yield events;
      }
    } finally {
      // Runs on abort, on the consumer's break and on errors: the server stops sending.
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  async headPosition(category?: string): Promise<LogPosition> {
    for await (const page of this.scan(BACKWARDS, END, MIN_PAGE_SIZE)) {
      const last = page.find(
        (resolved) => !isSystemEvent(resolved) && (category === undefined || categoryOf(resolved.event?.streamId ?? '') === category),
      );
      const position = last && rawPositionOf(last);
      if (position) return position.commit;
    }
    return 0n;
  }

  /** The last user event of $all: system records and records of other writers are passed over. */
  async lastEvent(): Promise<RecordedEvent | null> {
    for await (const page of this.scan(BACKWARDS, END, MIN_PAGE_SIZE)) {
      for (const resolved of page) {
        if (isSystemEvent(resolved)) continue;
        const [event] = toUserEvents([resolved], undefined, undefined, this.onForeignEvent);
        if (event) return event;
      }
    }
    return null;
  }

  /**
   * The `$ce-<category>` stream (the server's by-category projection: one link per event) has
   * the category's events as its revisions, so the last one + 1 counts them. Without that
   * projection (it is off by default) the category is counted through a server-filtered read.
   */
  async countEvents(category: string): Promise<number> {
    try {
      for await (const link of this.client.readStream(`$ce-${category}`, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
        if (link.event) return Number(link.event.revision) + 1;
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw translateEsdbError(error);
    }
    let count = 0;
    for await (const batch of this.readAll({ category })) count += batch.length;
    return count;
  }

  /**
   * Reads the last record of $all, bounded by our own timer: client 6.2.1 ignores `deadline` on
   * every streaming read (streams/readAll.js passes `{deadline: Infinity}` to callArguments, which
   * keeps it over the caller's), so a server that accepts but never answers would hold the read
   * until keep-alive gives up (~20 s). On time-out the gRPC call is cancelled (ReadStream.cancel).
   */
  async ping(): Promise<boolean> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_DEADLINE_MS);
    });
    const answered = (async () => {
      for await (const record of read) void record;
      return true;
    })().catch(() => false);
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
      // A no-op once the read has ended; else the server (or the dead connection) stops being waited on.
      await read.cancel().catch(() => undefined);
      read.destroy();
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** The position of the last record of $all (of any stream, system records too). */
  private async lastRecordPosition(): Promise<Position | undefined> {
    const [last] = await this.readAllPage({ fromPosition: END, direction: BACKWARDS, maxCount: 1 });
    return last && rawPositionOf(last);
  }

  /** The records of `category` after `after` up to `end`, filtered by the server (see readAll). */
  private async *filteredRead(
    after: LogPosition | undefined,
    category: string | undefined,
    end: Position,
    pageSize: number,
  ): AsyncIterable<RecordedEvent[]> {
    const reached = new AbortController();
    const subscription = this.client.subscribeToAll({
      fromPosition: after === undefined ? START : toEsdbPosition(after),
      filter: subscriptionFilter(category, (_, checkpoint) => {
        if (comparePositions(checkpoint, end) >= 0) reached.abort();
      }),
    });
    subscription.on('caughtUp', () => reached.abort());
    const batches = new ReadableBatcher<AllStreamResolvedEvent>(subscription, pageSize * 2, BATCH_FILL_MS);
    try {
      for (;;) {
        const page = await batches.next(pageSize, reached.signal).catch((error: unknown) => {
          throw translateEsdbError(error);
        });
        if (page.length === 0) {
          if (!reached.signal.aborted) throw new StoreUnavailableError('EventStoreDB ended the read');
          // The signal comes from a message after the records before it, which are delivered
          // or still in the client's stream buffer: done once that is empty, too.
          if (subscription.readableLength === 0) return;
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        const upToEnd = page.filter((record) => {
          const position = rawPositionOf(record);
          return position !== undefined && comparePositions(position, end) <= 0;
        });
        const events = toUserEvents(upToEnd, after, category, this.onForeignEvent);
        if (events.length > 0) yield events;
        if (upToEnd.length < page.length || upToEnd.some((record) => comparePositions(rawPositionOf(record) as Position, end) === 0))
          return;
      }
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  /**
   * Raw $all records from `start` in `direction`, page by page. A read includes the record at
   * its start position, so each page after the first starts at the previous page's last record
   * and drops it (and anything not beyond it).
   */
  private async *scan(direction: Direction, start: ReadPosition, pageSize: number): AsyncIterable<AllStreamResolvedEvent[]> {
    let fromPosition = start;
    let cursor: Position | undefined;
    for (;;) {
      const raw = await this.readAllPage({ fromPosition, direction, maxCount: pageSize + 1 });
      const previous = cursor;
      const fresh = previous === undefined ? raw : raw.filter((record) => isBeyond(record, previous, direction));
      if (fresh.length === 0) return;
      yield fresh;
      const last = rawPositionOf(fresh[fresh.length - 1]);
      if (raw.length < pageSize + 1 || !last) return;
      cursor = last;
      fromPosition = last;
    }
  }

  private async readAllPage(options: Parameters<EventStoreDBClient['readAll']>[0]): Promise<AllStreamResolvedEvent[]> {
    try {
      const records: AllStreamResolvedEvent[] = [];
      for await (const record of this.client.readAll(options)) records.push(record);
      return records;
    } catch (error) {
      throw translateEsdbError(error);
    }
  }
}

const warnOfForeignEvent = (event: ForeignEvent): void => {
  const position = event.position === undefined ? '' : ` at ${event.position}`;
  process.emitWarning(`skipped ${event.type} ${event.id} of ${event.streamName}${position}: ${event.reason}`, 'ForeignEventWarning');
};

async function* filterBatches(
  batches: AsyncIterable<RecordedEvent[]>,
  keep: (event: RecordedEvent) => boolean,
): AsyncIterable<RecordedEvent[]> {
  for await (const batch of batches) yield batch.filter(keep);
}

const subscriptionFilter = (category: string | undefined, checkpointReached?: Filter['checkpointReached']): Filter =>
  category === undefined ? excludeSystemEvents({ checkpointReached }) : streamNameFilter({ prefixes: [`${category}-`], checkpointReached });

const isBeyond = (record: ResolvedEvent | AllStreamResolvedEvent, cursor: Position, direction: Direction): boolean => {
  const position = rawPositionOf(record);
  if (!position) return false;
  const order = comparePositions(position, cursor);
  return direction === FORWARDS ? order > 0 : order < 0;
};
