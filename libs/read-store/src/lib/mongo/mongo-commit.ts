import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection } from 'mongodb';
import { CheckpointConflictError } from '../errors';
import type { CheckpointMove } from '../port';
import { describePosition } from '../values';
import {
  BATCH_BYTES,
  BATCH_OPERATIONS,
  DUPLICATE_KEY,
  batchesOf,
  isDuplicateKey,
  planWrites,
  toLong,
  toPosition,
  type CheckpointRecord,
  type DocRecord,
  type GuardedUpsert,
} from './mongo-mapping';

export interface CommitTarget {
  readonly checkpoints: Collection<CheckpointRecord>;
  readonly docs: Collection<DocRecord>;
  /** Called after each batch of document writes and once all are written (a crash test stops the process there). */
  readonly onStep?: (step: CommitStep) => void;
  readonly batchOperations?: number;
}

export type CommitStep = { readonly kind: 'batch'; readonly batch: number; readonly of: number } | { readonly kind: 'documents-written' };

/**
 * A commit without a multi-document transaction (decision 0018): check the checkpoint, write the
 * documents in bounded batches of guarded idempotent upserts, then move the checkpoint with a
 * compare-and-set. A crash anywhere in between leaves the checkpoint where it was; the replay
 * from there meets documents that are already as new or newer, and the guard skips them, so it
 * ends with exactly the documents an uninterrupted commit writes.
 *
 * A read model document is a fold of the log up to its position, so two writers of the same
 * log write the same document for the same position: a loser of the final compare-and-set may
 * have written some documents, but never different ones (and never older over newer).
 */
export const commitWithoutTransaction = async (
  target: CommitTarget,
  records: readonly DocRecord[],
  checkpoint: CheckpointMove,
): Promise<void> => {
  await assertCheckpoint(target.checkpoints, checkpoint);
  const limits = { operations: target.batchOperations ?? BATCH_OPERATIONS, bytes: BATCH_BYTES };
  const batches = batchesOf(planWrites(records), undefined, limits);
  // Into an empty collection (a rebuild's first commit) nothing can be stored yet but what a racing
  // writer inserts, which the insert's duplicate key catches: no batch needs its positions read.
  const empty = batches.length > 0 && (await target.docs.findOne({}, { projection: { _id: 1 } })) === null;
  for (const [i, operations] of batches.entries()) {
    await writeBatch(target.docs, operations, empty);
    target.onStep?.({ kind: 'batch', batch: i + 1, of: batches.length });
  }
  if (batches.length > 0) target.onStep?.({ kind: 'documents-written' });
  await moveCheckpoint(target.checkpoints, checkpoint);
};

/** Before any document is written: a stale writer (another runner moved on, or a newer lease holder fenced it off) writes nothing. */
const assertCheckpoint = async (checkpoints: Collection<CheckpointRecord>, { name, expected, fence }: CheckpointMove): Promise<void> => {
  const current = await checkpoints.findOne({ _id: name });
  const stored = current ? toPosition(current.position) : null;
  if (stored !== expected) throw new CheckpointConflictError(name, describePosition(expected), describePosition(stored));
  if (fence !== undefined && current?.fence !== undefined && current.fence > fence) {
    throw new CheckpointConflictError(name, `fence ${fence}`, `fence ${current.fence}`);
  }
};

/**
 * The stored positions are read first: a document that is absent is inserted (the cheapest write on
 * every server, and what a rebuild into a new generation does throughout), an older one replaced by
 * the guarded upsert, one as new or newer left out, so a replay after a crash costs one read rather
 * than a thousand refused writes. The guard stays in the filter, so a write planned from a stale
 * read can only be refused, never overwrite newer. A refusal is a duplicate key: for an insert,
 * another writer inserted the document meanwhile (its guarded upsert is sent instead); for a guarded
 * upsert, the stored document is as new or newer (applied before: dropped). The rest of the batch is
 * sent again, since a server may stop at the first error even of an unordered bulk write (FerretDB
 * 1.x does); each write is refused at most twice.
 */
const writeBatch = async (docs: Collection<DocRecord>, operations: readonly GuardedUpsert[], intoEmpty: boolean): Promise<void> => {
  const ids = operations.map((operation) => operation.replaceOne.filter._id);
  const stored = new Map<string, bigint>();
  const found = intoEmpty ? [] : await docs.find({ _id: { $in: ids } }, { projection: { position: 1 } }).toArray();
  for (const record of found) stored.set(record._id, toPosition(record.position));
  let pending: Pending[] = operations.flatMap((guarded): Pending[] => {
    const current = stored.get(guarded.replaceOne.filter._id);
    if (current === undefined)
      return [{ guarded, write: { insertOne: { document: { _id: guarded.replaceOne.filter._id, ...guarded.replaceOne.replacement } } } }];
    return current < toPosition(guarded.replaceOne.replacement.position) ? [{ guarded, write: guarded }] : [];
  });
  while (pending.length > 0) {
    try {
      await docs.bulkWrite(
        pending.map((p) => p.write as AnyBulkWriteOperation<DocRecord>),
        { ordered: false },
      );
      return;
    } catch (error) {
      const refused = error instanceof MongoBulkWriteError ? duplicateKeyIndexes(error) : null;
      if (refused === null) throw error;
      pending = pending.flatMap((p, i) =>
        !refused.has(i) ? [p] : 'insertOne' in p.write ? [{ guarded: p.guarded, write: p.guarded }] : [],
      );
    }
  }
};

interface Pending {
  readonly guarded: GuardedUpsert;
  readonly write: GuardedUpsert | { readonly insertOne: { readonly document: DocRecord } };
}

/** The indexes of the refused writes when every error is a duplicate key, else null (a real failure). */
const duplicateKeyIndexes = (error: MongoBulkWriteError): Set<number> | null => {
  const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  // A write concern error (`err`) means the batch may not be durable: never swallowed.
  if (error.err !== undefined || errors.length === 0 || !errors.every((e) => e.code === DUPLICATE_KEY)) return null;
  return new Set(errors.map((e) => e.index));
};

/**
 * The compare-and-set that makes the commit count. Of two writers from the same checkpoint, one
 * moves it; the other gets a CheckpointConflictError (its documents are those of the same log).
 */
const moveCheckpoint = async (checkpoints: Collection<CheckpointRecord>, move: CheckpointMove): Promise<void> => {
  const { name, expected, next, fence } = move;
  const conflict = async () => {
    const current = await checkpoints.findOne({ _id: name });
    if (fence !== undefined && current?.fence !== undefined && current.fence > fence)
      return new CheckpointConflictError(name, `fence ${fence}`, `fence ${current.fence}`);
    return new CheckpointConflictError(name, describePosition(expected), describePosition(current ? toPosition(current.position) : null));
  };
  if (expected === null) {
    try {
      await checkpoints.insertOne({ _id: name, position: toLong(next), ...(fence === undefined ? {} : { fence }) });
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      throw await conflict();
    }
  }
  // A fenced move also requires that no higher fence moved the checkpoint meanwhile, and raises it to its own.
  const filter =
    fence === undefined
      ? { _id: name, position: toLong(expected) }
      : { _id: name, position: toLong(expected), fence: { $not: { $gt: fence } } };
  const update = fence === undefined ? { $set: { position: toLong(next) } } : { $set: { position: toLong(next), fence } };
  const { matchedCount } = await checkpoints.updateOne(filter, update);
  if (matchedCount !== 1) throw await conflict();
};
