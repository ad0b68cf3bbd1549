import type {
  AppendResult,
  CommitSignal,
  EventStore,
  ExpectedRevision,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  StreamRevision,
  SubscribeOptions,
} from './port';

/**
 * Forwards every port method to `inner`. Decorators (upcasting, opening personal data, the
 * benchmarks' counters) extend it and override only what they change, so a method added to the
 * port is forwarded everywhere by this one class.
 */
export class ForwardingEventStore implements EventStore {
  constructor(protected readonly inner: EventStore) {}

  append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.inner.append(stream, events, expected);
  }

  readStream(stream: string, options?: { fromRevision?: StreamRevision }): Promise<RecordedEvent[]> {
    return this.inner.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribe(options?: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    return this.inner.subscribe(options);
  }

  headPosition(category?: string): Promise<LogPosition> {
    return this.inner.headPosition(category);
  }

  countEvents(category: string): Promise<number> {
    return this.inner.countEvents(category);
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  get commitSignal(): CommitSignal | undefined {
    return this.inner.commitSignal;
  }
}
