import type { EventStore, HeadEventReader } from '../lib/port';
import { appendContract } from './contract-append';
import { readContract } from './contract-read';
import { subscriptionContract } from './contract-subscribe';

export interface OpenedStore {
  /** An adapter: the port, and what a migration reads of a target. */
  readonly store: EventStore & HeadEventReader;
  readonly cleanup: () => Promise<void>;
}

/**
 * The behaviour every EventStore adapter must show. Each test uses its own random streams and
 * categories, so the suite can run against a shared server that already holds events.
 */
export const eventStoreContract = (name: string, open: () => Promise<OpenedStore>): void => {
  describe(`EventStore contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    const store = (): EventStore & HeadEventReader => {
      if (!opened) throw new Error('store did not open');
      return opened.store;
    };
    appendContract(store);
    readContract(store);
    subscriptionContract(store);
  });
};
