import type { ReadStore } from '../lib/port';
import { checkpointContract, fenceContract, leaseContract, lifecycleContract, metaContract } from './contract-coordination';
import { documentContract } from './contract-docs';
import { queryContract } from './contract-query';

export interface OpenedStore {
  readonly store: ReadStore;
  /** Closes the store (closing twice must be harmless) and removes what the test opened. */
  readonly cleanup: () => Promise<void>;
}

export interface ContractOptions {
  /**
   * Commits are all-or-nothing even between concurrent writers (SQLite: one transaction). Without
   * (MongoDB, decision 0018) a writer that loses the checkpoint's compare-and-set to a concurrent
   * one may leave its (guarded) documents written; a stale writer detected up front writes nothing.
   */
  readonly atomicCommits: boolean;
}

/**
 * The behaviour every ReadStore adapter must show. Each test uses its own random collections,
 * checkpoints, leases and meta keys, so the suite can run against a shared server that already
 * holds data. `open` is called once for the suite, and again by tests that need a store of
 * their own.
 */
export const readStoreContract = (name: string, open: () => Promise<OpenedStore>, options: ContractOptions): void => {
  describe(`ReadStore contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    const store = (): ReadStore => {
      if (!opened) throw new Error('store did not open');
      return opened.store;
    };
    documentContract(store, options);
    queryContract(store);
    checkpointContract(store);
    leaseContract(store);
    fenceContract(store);
    metaContract(store);
    lifecycleContract(store, open);
  });
};
