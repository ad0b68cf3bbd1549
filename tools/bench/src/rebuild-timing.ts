import { ForwardingEventStore, type ReadAllOptions, type RecordedEvent } from '@wih/event-store';
import type {
  CheckpointMove,
  CollectionSpec,
  DocWrite,
  EnsureOptions,
  Filter,
  FindQuery,
  Lease,
  Position,
  ReadStore,
  StoredDoc,
} from '@wih/read-store';
import { performance } from 'node:perf_hooks';

/**
 * Where a rebuild's time goes, measured at the ports the runner calls: reading the log (query and
 * decoding), loading the documents a batch touches, committing (JSON, upserts with their index
 * entries, WAL). The rest is the runner's own JavaScript: decoding into projected events,
 * the projection's evolve and index values. Only meaningful for one runner at a time.
 */
export interface Breakdown {
  readonly readLogMs: number;
  readonly loadDocsMs: number;
  readonly commitMs: number;
  readonly commits: number;
  readonly docWrites: number;
}

export class TimingEventStore extends ForwardingEventStore {
  readMs = 0;

  override readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]> {
    const batches = this.inner.readAll(options);
    return {
      [Symbol.asyncIterator]: () => {
        const iterator = batches[Symbol.asyncIterator]();
        return {
          next: async () => {
            const started = performance.now();
            try {
              return await iterator.next();
            } finally {
              this.readMs += performance.now() - started;
            }
          },
          return: async () => (await iterator.return?.()) ?? { done: true, value: undefined },
        };
      },
    };
  }
}

export class TimingReadStore implements ReadStore {
  loadMs = 0;
  commitMs = 0;
  commits = 0;
  docWrites = 0;

  constructor(private readonly inner: ReadStore) {}

  async getMany<T>(collection: string, ids: readonly string[]): Promise<Map<string, StoredDoc<T>>> {
    const started = performance.now();
    try {
      return await this.inner.getMany<T>(collection, ids);
    } finally {
      this.loadMs += performance.now() - started;
    }
  }

  async commit(collection: string, writes: readonly DocWrite[], checkpoint: CheckpointMove): Promise<void> {
    const started = performance.now();
    try {
      await this.inner.commit(collection, writes, checkpoint);
    } finally {
      this.commitMs += performance.now() - started;
      this.commits++;
      this.docWrites += writes.length;
    }
  }

  ensureCollection(spec: CollectionSpec, options?: EnsureOptions): Promise<void> {
    return this.inner.ensureCollection(spec, options);
  }

  /** Counted with the commits: building the deferred indexes is part of writing the read model. */
  async ensureIndexes(spec: CollectionSpec): Promise<void> {
    const started = performance.now();
    try {
      await this.inner.ensureIndexes(spec);
    } finally {
      this.commitMs += performance.now() - started;
    }
  }

  dropCollection(name: string): Promise<void> {
    return this.inner.dropCollection(name);
  }

  listCollections(prefix: string): Promise<string[]> {
    return this.inner.listCollections(prefix);
  }

  getCheckpoint(name: string): Promise<Position | null> {
    return this.inner.getCheckpoint(name);
  }

  deleteCheckpoint(name: string): Promise<void> {
    return this.inner.deleteCheckpoint(name);
  }

  get<T>(collection: string, id: string): Promise<StoredDoc<T> | null> {
    return this.inner.get<T>(collection, id);
  }

  find<T>(collection: string, query: FindQuery): Promise<StoredDoc<T>[]> {
    return this.inner.find<T>(collection, query);
  }

  count(collection: string, filters?: readonly Filter[]): Promise<number> {
    return this.inner.count(collection, filters);
  }

  acquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<number | false> {
    return this.inner.acquireLease(name, owner, ttlMs, now);
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return this.inner.releaseLease(name, owner);
  }

  getLease(name: string): Promise<Lease | null> {
    return this.inner.getLease(name);
  }

  getMeta<T>(key: string): Promise<T | null> {
    return this.inner.getMeta<T>(key);
  }

  setMeta<T>(key: string, value: T): Promise<void> {
    return this.inner.setMeta(key, value);
  }

  compareAndSetMeta<T>(key: string, expected: T | null, value: T): Promise<boolean> {
    return this.inner.compareAndSetMeta(key, expected, value);
  }

  deleteMeta(key: string): Promise<void> {
    return this.inner.deleteMeta(key);
  }

  listMeta<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    return this.inner.listMeta<T>(prefix);
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
