import {
  ConcurrencyError, type AppendResult, type EventStore, type ExpectedRevision, type LogPosition, type NewEvent,
  type ReadAllOptions, type RecordedEvent, type StreamRevision, type SubscribeOptions,
} from '@wih/event-store';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Counts the conflicts the command handler retries internally, which its result does not
 * report; everything else passes straight through.
 *
 * The embedded store answers synchronously, so in one process a command runs from read to append
 * without yielding and concurrent commands never collide. `yieldAfterRead` gives up one
 * event-loop turn after each read, as a store across the network would, so that commands in
 * flight interleave and the conflict-retry path is exercised.
 */
export class CountingStore implements EventStore {
  conflicts = 0;
  yieldAfterRead = false;

  constructor(private readonly inner: EventStore) {}

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      return await this.inner.append(stream, events, expected);
    } catch (error) {
      if (error instanceof ConcurrencyError) this.conflicts++;
      throw error;
    }
  }

  async readStream(stream: string, options?: { fromRevision?: StreamRevision }): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(stream, options);
    if (this.yieldAfterRead) await nextTurn();
    return events;
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
