import { Injectable, Logger } from '@nestjs/common';
import { ReadModels } from '@wih/application';
import { CASE_CATEGORY } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import { PROJECTIONS } from '@wih/projections';
import type { ReadStore } from '@wih/read-store';
import { InjectEventStore } from '../store/event-store.provider';
import { InjectReadStore } from '../store/read-store.provider';

/** How long a scrub waits for the projections to apply an erasure, and how often it tries. */
const WAIT_MS = 60_000;
const ATTEMPTS = 5;
const PAUSE_MS = 1_000;

/**
 * After an erasure the read models replace the household's data once the projections apply the
 * `PersonalDataErased` events; the read store's files may still hold earlier versions of those
 * documents (the embedded store's write-ahead log). This waits for the projections to reach the
 * log's head, then has the read store discard such copies (ReadStore.scrub). In the background:
 * the erasure's answer does not wait; one scrub at a time, a new erasure queues the next.
 */
@Injectable()
export class ReadStoreScrub {
  private readonly logger = new Logger('ReadStoreScrub');
  private chain: Promise<void> = Promise.resolve();

  constructor(
    @InjectEventStore() private readonly events: EventStore,
    @InjectReadStore() private readonly reads: ReadStore,
    private readonly models: ReadModels,
  ) {}

  /** Schedules a scrub after the erasures written so far; resolves when it ran (it never rejects). */
  afterErasure(): Promise<void> {
    if (!this.reads.scrub) return Promise.resolve();
    this.chain = this.chain.then(() => this.scrubWhenProjected());
    return this.chain;
  }

  private async scrubWhenProjected(): Promise<void> {
    try {
      const head = await this.events.headPosition(CASE_CATEGORY);
      // The projections of the case category hold the personal data; others (activities) have none,
      // and their checkpoints are positions of their own category, which never reach the case head.
      for (const { name } of PROJECTIONS.filter((p) => p.category === CASE_CATEGORY)) await this.models.waitFor(name, head, WAIT_MS);
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        if (await this.reads.scrub?.()) return;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
      this.logger.warn(
        'read store still in use by another process; its old document versions stay until the next scrub (the next erasure, or the nightly retention run)',
      );
    } catch (error) {
      // Only the error's class: its message is not vetted for personal data.
      this.logger.warn({ error: error instanceof Error ? error.name : 'unknown' }, 'read store scrub after an erasure did not run');
    }
  }
}
