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
 * Batches of what an object-mode Readable has buffered: waits for one item, then takes up to
 * `max` without waiting for more, so live events are passed on at once and a backlog in bulk.
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
    const batch = this.buffer.splice(0, max);
    if (this.buffer.length < this.highWaterMark && this.source.isPaused()) this.source.resume();
    return batch;
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
