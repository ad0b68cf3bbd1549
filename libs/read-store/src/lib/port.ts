/**
 * The read store port: documents of the read models, the projections' checkpoints, leases and
 * small metadata records. Implemented by the embedded SQLite store (default) and by MongoDB;
 * both run one contract suite (testing/contract.ts).
 *
 * A collection is one generation of one read model (e.g. `cases@1`); a rebuild fills the next
 * generation beside the live one, then the active-generation record is switched.
 */

import type { CommitSignal } from '@wih/event-store';

/** Global log position (see the event store port): a bigint, strictly increasing. */
export type Position = bigint;

/** Values the store indexes for filtering and sorting; the projection computes them. */
export type IndexValue = string | number | boolean | null;

export interface CollectionSpec {
  readonly name: string;
  /** Index fields (names match /^[a-zA-Z][a-zA-Z0-9]*$/), each filterable and sortable. */
  readonly indexes: readonly string[];
  /**
   * Compound indexes for queries that filter on some fields and sort on another: the fields in
   * order (equality filters first, the sort field last), each an index field; the id is appended.
   */
  readonly compoundIndexes?: readonly (readonly string[])[];
  /**
   * Index fields whose `contains` search gets a substring index where the store has one (SQLite:
   * FTS5 trigram). Results are the same with or without it; only the speed differs.
   */
  readonly searchIndexes?: readonly string[];
}

export interface EnsureOptions {
  /**
   * Create the table/collection only, not its secondary indexes: a rebuild fills a new generation
   * faster without them and builds them once, with `ensureIndexes`, before queries read it.
   */
  readonly deferIndexes?: boolean;
}

/** One document change: `doc: null` deletes. `position` is the event position that produced it. */
export interface DocWrite<T = unknown> {
  readonly id: string;
  readonly doc: T | null;
  readonly index: Readonly<Record<string, IndexValue>>;
  readonly position: Position;
  /**
   * The same document (never a deletion) already as JSON: a parallel rebuild serialises on its
   * worker threads, and a store that keeps JSON text (SQLite) writes it instead of serialising `doc`.
   */
  readonly json?: string;
}

export interface StoredDoc<T = unknown> {
  readonly id: string;
  readonly doc: T;
  /** Position of the last event applied to this document. */
  readonly position: Position;
}

export interface CheckpointMove {
  readonly name: string;
  /** The checkpoint the writer started from (null: none yet). A different stored value is a conflict. */
  readonly expected: Position | null;
  readonly next: Position;
  /**
   * The committing lease holder's fence (what `acquireLease` answered). The checkpoint keeps the
   * highest fence it was moved with; a commit with a lower one is refused (CheckpointConflictError,
   * nothing written): a holder that was paused while another took the lease over writes nothing.
   * Absent: not checked, and the stored fence stays.
   */
  readonly fence?: number;
}

export type FilterOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'contains';

export interface Filter {
  readonly field: string;
  readonly op: FilterOp;
  /** `in`: an array; `contains`: a string matched case-insensitively as a substring. */
  readonly value: IndexValue | readonly IndexValue[];
}

export interface FindQuery {
  readonly filters?: readonly Filter[];
  /** Ascending by this index field, ties broken by id (so paging is stable). */
  readonly sortBy: string;
  /** Keyset cursor: start after this (sort value, id). */
  readonly after?: { readonly value: IndexValue; readonly id: string };
  readonly limit: number;
}

export interface Lease {
  readonly name: string;
  readonly owner: string;
  /** ms since epoch */
  readonly expiresAt: number;
}

export interface ReadStore {
  /** Creates the collection and (unless deferred) its indexes if missing (idempotent). */
  ensureCollection(spec: CollectionSpec, options?: EnsureOptions): Promise<void>;
  /**
   * Creates the collection's missing indexes (those a deferred `ensureCollection` left out) and
   * refreshes what the query planner knows about the data (SQLite: ANALYZE). Idempotent.
   */
  ensureIndexes(spec: CollectionSpec): Promise<void>;
  /**
   * Removes the collection with its documents and indexes. SQLite: in steps with pauses between
   * them (decision 0049), so that live commits go on and the disk is not flooded at once; a drop cut
   * short (the process ended) leaves the collection listed, partly emptied, and dropping it again
   * finishes it.
   */
  dropCollection(name: string): Promise<void>;
  /** The names of the existing collections that start with `prefix`, in name order. */
  listCollections(prefix: string): Promise<string[]>;

  /**
   * Atomically writes the documents and moves the checkpoint. Throws CheckpointConflictError and
   * writes nothing when the stored checkpoint differs from `checkpoint.expected`. A write whose
   * position is not greater than the stored document's position is skipped (replay guard).
   */
  commit(collection: string, writes: readonly DocWrite[], checkpoint: CheckpointMove): Promise<void>;

  getCheckpoint(name: string): Promise<Position | null>;
  /** Removes a checkpoint (a dropped generation). */
  deleteCheckpoint(name: string): Promise<void>;

  get<T>(collection: string, id: string): Promise<StoredDoc<T> | null>;
  getMany<T>(collection: string, ids: readonly string[]): Promise<Map<string, StoredDoc<T>>>;
  find<T>(collection: string, query: FindQuery): Promise<StoredDoc<T>[]>;
  count(collection: string, filters?: readonly Filter[]): Promise<number>;

  /**
   * Takes or renews the lease when it is free, expired or already the owner's. Answers the lease's
   * fence when the owner holds it afterwards (a positive integer, so truthy), false when refused.
   * The fence grows whenever the lease passes to another owner (also after a release) and stays
   * while one owner renews; commits carry it (CheckpointMove.fence). `now` is ms since epoch (the
   * clock comes from the caller). A store may also end a holder's lease when its process is gone
   * (SQLite: see SqliteReadStore).
   */
  acquireLease(name: string, owner: string, ttlMs: number, now: number): Promise<number | false>;
  releaseLease(name: string, owner: string): Promise<void>;
  getLease(name: string): Promise<Lease | null>;

  /** Small JSON records (active generation, rebuild status, parked events), by key. */
  getMeta<T>(key: string): Promise<T | null>;
  setMeta<T>(key: string, value: T): Promise<void>;
  /** Sets only when the stored value deep-equals `expected` (null: absent); true when set. */
  compareAndSetMeta<T>(key: string, expected: T | null, value: T): Promise<boolean>;
  deleteMeta(key: string): Promise<void>;
  /** Keys starting with `prefix`, with their values, in key order. */
  listMeta<T>(prefix: string): Promise<{ key: string; value: T }[]>;

  /**
   * Discards what the storage still keeps of overwritten and deleted documents, so that an erased
   * household's personal data leaves the files once the erasure is projected. SQLite: deleted
   * content is zeroed as it is written (secure_delete); this truncates the write-ahead log, which
   * holds earlier versions of the pages. True when done; false when another connection was
   * reading (try again later). Optional: a store without such copies (MongoDB) leaves it out.
   */
  scrub?(): Promise<boolean>;

  ping(): Promise<boolean>;
  close(): Promise<void>;

  /**
   * Commits of checkpoints and metadata (the active generation), by this handle, by other handles
   * on the same file in this process and by other processes: a read-your-writes wait reads again
   * on each. Absent where the store cannot tell (MongoDB: no change streams on FerretDB), and the
   * wait polls.
   */
  readonly commitSignal?: CommitSignal;
}
