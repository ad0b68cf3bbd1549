import type { ReadStore } from '@wih/read-store';
import { listParked, recordSkipped, takeParkedRequests, unpark, type ParkedEvent } from './parking';
import { describeError } from './runner-settings';

export interface AdminRequestsOptions {
  readonly reads: ReadStore;
  readonly collection: string;
  readonly pollMs: number;
  readonly now: () => Date;
  /** Runs the work between the runner's batches (they never interleave). */
  readonly exclusive: (work: () => Promise<void>) => Promise<void>;
  /** Re-applies a document's parked events, in log order. */
  readonly retry: (key: string, parked: readonly ParkedEvent[]) => Promise<void>;
  readonly onError: (error: string) => void;
}

/**
 * Admin requests are records in the read store (any process may write them); the runner that
 * holds the projection polls for them: `retry` re-applies a document's parked events, `skip` drops
 * its first one (kept as a skipped record), then retries the rest.
 */
export class AdminRequests {
  private polling = false;

  constructor(private readonly options: AdminRequestsOptions) {}

  /** Polls until the returned function is called. */
  start(): () => void {
    const timer = setInterval(() => this.poll(), this.options.pollMs);
    return () => clearInterval(timer);
  }

  /**
   * One poll at a time: a poll that waits behind a long batch (or a slow store) is not queued again
   * every interval. A failing poll (the store did not answer) is reported; the next one tries again.
   */
  private poll(): void {
    if (this.polling) return;
    this.polling = true;
    this.options
      .exclusive(() => this.handle())
      .catch((error: unknown) => this.options.onError(`admin requests: ${describeError(error)}`))
      .finally(() => {
        this.polling = false;
      });
  }

  private async handle(): Promise<void> {
    const { reads, collection } = this.options;
    for (const { key, action } of await takeParkedRequests(reads, collection)) {
      const parked = await listParked(reads, collection, key);
      if (parked.length === 0) continue;
      if (action === 'skip') {
        await recordSkipped(reads, parked[0], this.options.now().toISOString());
        await unpark(reads, parked[0]);
      }
      await this.options.retry(key, action === 'skip' ? parked.slice(1) : parked);
    }
  }
}
