import { ConcurrencyError, ForwardingEventStore, type AppendResult, type ExpectedRevision, type NewEvent } from '@wih/event-store';

/**
 * Counts the conflicts the command handler retries internally, which its result does not
 * report; everything else passes straight through.
 */
export class CountingStore extends ForwardingEventStore {
  conflicts = 0;

  override async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      return await this.inner.append(stream, events, expected);
    } catch (error) {
      if (error instanceof ConcurrencyError) this.conflicts++;
      throw error;
    }
  }
}
