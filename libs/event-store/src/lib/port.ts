/**
 * The event store port: what the write side and the projections need from a log, nothing more.
 * Implemented by the embedded SQLite store (default) and by EventStoreDB (production); both run
 * the same contract suite (testing/contract.ts).
 */

/** Revision of a stream (0-based index of its last event). `-1` never appears: see ExpectedRevision. */
export type StreamRevision = number;

/**
 * Global log position: strictly increasing across the whole log, opaque beyond that.
 * A bigint because EventStoreDB commit positions exceed 2^53.
 */
export type LogPosition = bigint;

/** `no-stream`: the stream must not exist yet. `any`: no check. A number: the current revision. */
export type ExpectedRevision = StreamRevision | 'no-stream' | 'any';

export interface EventMetadata {
  /** The command that caused the event (causation). */
  readonly commandId: string;
  readonly correlationId: string;
  readonly userId: string;
  readonly role: string;
  /** The business date the event is about (YYYY-MM-DD). */
  readonly businessDate: string;
  /** System clock when the command was decided (ISO 8601 UTC). */
  readonly recordedAt: string;
  readonly schemaVersion: number;
}

export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  readonly streamName: string;
  readonly revision: StreamRevision;
  readonly position: LogPosition;
}

export interface AppendResult {
  /** Revision of the stream after the append (revision of the last event written). */
  readonly revision: StreamRevision;
  /** Global position of the last event written. */
  readonly position: LogPosition;
}

export interface ReadAllOptions {
  /** Exclusive: read events after this position; omit to start at the beginning. */
  readonly after?: LogPosition;
  /** Only streams of this category (the part of the stream name before the first '-'). */
  readonly category?: string;
  /** Events per batch (default 500). */
  readonly batchSize?: number;
  /** Stop after this many events in total. */
  readonly limit?: number;
  /**
   * Only streams of one part out of `count` (see `partitionOf`): parallel readers each take one
   * part and together read every event once, each stream's events in one reader. A store filters
   * where it can do so cheaply (SQLite: in SQL); otherwise it filters after reading.
   */
  readonly partition?: Partition;
}

export interface Partition {
  /** 0 ≤ index < count */
  readonly index: number;
  readonly count: number;
}

export interface SubscribeOptions extends Omit<ReadAllOptions, 'limit'> {
  /** Ends the subscription: the iterator returns after the current batch. */
  readonly signal?: AbortSignal;
}

/**
 * Tells waiting readers that a store's content may have changed, so that they read again instead
 * of polling. A wake-up may be spurious (the reader finds nothing new); none is lost once `listen`
 * has returned: arm it before the read it guards.
 */
export interface CommitSignal {
  /** Calls `listener` after every commit that may concern it; the answer stops the calls. */
  listen(listener: () => void): () => void;
}

export interface EventStore {
  /**
   * Appends atomically: all events or none. Throws ConcurrencyError (writing nothing) when the
   * stream's revision does not match `expected`. Durable when the promise resolves.
   */
  append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;

  /** A stream's events in revision order; an unknown stream reads as empty. */
  readStream(stream: string, options?: { fromRevision?: StreamRevision }): Promise<RecordedEvent[]>;

  /** The log in global order, in batches (each batch non-empty). */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]>;

  /**
   * Catch-up from `after`, then live, as batches: no gap and no duplicate at the switch.
   * Runs until `signal` aborts (the iterator then completes) or the consumer breaks out.
   */
  subscribe(options?: SubscribeOptions): AsyncIterable<RecordedEvent[]>;

  /** Position of the last event in the log (of `category`, if given); 0n when empty. */
  headPosition(category?: string): Promise<LogPosition>;

  /**
   * How many events the streams of `category` hold (progress totals: positions are not dense,
   * and on EventStoreDB a position is a byte offset). SQLite counts its rows; EventStoreDB reads
   * the `$ce-<category>` stream's last event number when the server's by-category projection
   * runs, else counts the category through a server-filtered read.
   */
  countEvents(category: string): Promise<number>;

  /** True when the store answers (health checks). */
  ping(): Promise<boolean>;

  close(): Promise<void>;

  /**
   * Appends by this handle, by other handles on the same log and by other processes (SQLite).
   * Absent where the store cannot tell (EventStoreDB, whose subscriptions are pushed by the server):
   * a reader waiting for the head then polls.
   */
  readonly commitSignal?: CommitSignal;
}

/**
 * What a store migration needs of a target beyond the port (both adapters have it; decorators
 * need not): the event at its head. The migration resumes after the source's copy of it.
 */
export interface HeadEventReader {
  /** The last event of the log, as stored, or null when the log is empty. */
  lastEvent(): Promise<RecordedEvent | null>;
}
