import {
  ForwardingEventStore,
  type EventStore,
  type ReadAllOptions,
  type RecordedEvent,
  type StreamRevision,
  type SubscribeOptions,
} from '@wih/event-store';
import type { UpcasterChain } from './upcasting';

/**
 * The event store as readers must see it: every event read (stream reads, the log, the live
 * subscription) comes out at the current schema version, or the read fails with
 * UnknownSchemaVersionError. Writes pass through untouched (writers always write the current
 * version). Applied once, where the stores are opened, so no reader can bypass it.
 */
export const withUpcasting = (store: EventStore, chain: UpcasterChain): EventStore => new UpcastingEventStore(store, chain);

class UpcastingEventStore extends ForwardingEventStore {
  constructor(
    inner: EventStore,
    private readonly chain: UpcasterChain,
  ) {
    super(inner);
  }

  override async readStream(stream: string, options?: { fromRevision?: StreamRevision }): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(stream, options)).map(this.chain.upcast);
  }

  override readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]> {
    return this.upcastBatches(this.inner.readAll(options));
  }

  override subscribe(options?: SubscribeOptions): AsyncIterable<RecordedEvent[]> {
    return this.upcastBatches(this.inner.subscribe(options));
  }

  /** Breaking out of the outer loop returns the inner iterator too (for-await closes it). */
  private async *upcastBatches(batches: AsyncIterable<RecordedEvent[]>): AsyncIterable<RecordedEvent[]> {
    for await (const batch of batches) yield batch.map(this.chain.upcast);
  }
}
