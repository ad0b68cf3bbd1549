import {
  ConcurrencyError, type AppendResult, type EventStore, type ExpectedRevision, type LogPosition, type NewEvent,
  type ReadAllOptions, type RecordedEvent, type StreamRevision, type SubscribeOptions,
} from '@wih/event-store';

/**
 * Counts the conflicts the command handler retries internally, which its result does not
 * report; everything else passes straight through.
 */
export class CountingStore implements EventStore {
  conflicts = 0;

  constructor(private readonly inner: EventStore) {}

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      return await this.inner.append(stream, events, expected);
    } catch (error) {
      if (error instanceof ConcurrencyError) this.conflicts++;
      throw error;
    }
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

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
