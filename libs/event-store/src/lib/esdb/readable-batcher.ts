/** What the batcher uses of an object-mode Readable (a client subscription, a PassThrough). */
export interface ObjectSource<T> {
  on(event: 'data', listener: (item: T) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  isPaused(): boolean;
}

/**
 * Batches of what an object-mode Readable has buffered: waits for one item, then up to
 * `fillWindowMs` for the batch to fill to `max`, so a backlog goes on in bulk and a live event
 * waits at most that long. A gRPC stream hands over its messages one by one, a few per tick:
 * without the window every batch of a catch-up would hold one or two events.
 * The source is paused while `highWaterMark` items wait, bounding memory for a slow consumer.
 * One consumer at a time.
 */
export class ReadableBatcher<T> {
  private readonly buffer: T[] = [];
  private ended = false;
  private failed = false;
  private failure: unknown;
  private notify: (() => void) | undefined;

  constructor(
    private readonly source: ObjectSource<T>,
    private readonly highWaterMark: number,
    private readonly fillWindowMs = 0,
  ) {
    source.on('data', (item: T) => {
      this.buffer.push(item);
      if (this.buffer.length >= this.highWaterMark) source.pause();
      this.wake();
    });
    source.on('error', (error: Error) => {
      this.failed = true;
      this.failure = error;
      this.wake();
    });
    source.on('end', () => this.finish());
    source.on('close', () => this.finish());
  }

  /**
   * Up to `max` items, waiting for the first; [] once the source has ended or `signal` aborted.
   * Items buffered before a failure are delivered first, then the failure is thrown.
   */
  async next(max: number, signal?: AbortSignal): Promise<T[]> {
    while (this.buffer.length === 0) {
      if (this.failed) throw this.failure;
      if (this.ended || signal?.aborted) return [];
      await this.change(signal);
    }
    if (this.fillWindowMs > 0 && this.buffer.length < max) await this.fill(max, signal);
    const batch = this.buffer.splice(0, max);
    if (this.buffer.length < this.highWaterMark && this.source.isPaused()) this.source.resume();
    return batch;
  }

  /** Waits until `max` items are buffered, the window has passed, or the source can give no more. */
  private async fill(max: number, signal?: AbortSignal): Promise<void> {
    let elapsed = false;
    const timer = setTimeout(() => {
      elapsed = true;
      this.wake();
    }, this.fillWindowMs);
    try {
      // A paused source gives no more until drained; the high-water mark is at least `max` in use.
      while (!elapsed && this.buffer.length < max && !this.ended && !this.failed && !signal?.aborted && !this.source.isPaused()) {
        await this.change(signal);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private change(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const onAbort = (): void => this.wake();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.notify = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
    });
  }

  private finish(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const notify = this.notify;
    this.notify = undefined;
    notify?.();
  }
}

/**
 * Re-cuts a stream of (possibly small or empty) batches into batches of exactly `size`, the last
 * one shorter, stopping after `limit` items in total.
 */
export async function* rebatch<T>(source: AsyncIterable<T[]>, size: number, limit: number): AsyncIterable<T[]> {
  let pending: T[] = [];
  let remaining = limit;
  for await (const items of source) {
    pending.push(...items.slice(0, remaining - pending.length));
    while (pending.length >= size) {
      yield pending.slice(0, size);
      remaining -= size;
      pending = pending.slice(size);
    }
    if (remaining - pending.length <= 0) break;
  }
  if (pending.length > 0) yield pending;
}
