import type { ClientSession, Collection, MongoClient, TransactionOptions } from 'mongodb';
import { CheckpointConflictError } from '../errors';
import type { CheckpointMove, Position } from '../port';
import { describePosition } from '../values';
import { chunksOf, isDuplicateKey, planWrites, toLong, toPosition, type CheckpointRecord, type DocRecord } from './mongo-mapping';

export interface CommitTarget {
  readonly client: MongoClient;
  readonly checkpoints: Collection<CheckpointRecord>;
  readonly docs: Collection<DocRecord>;
}

/**
 * Snapshot: the checkpoint and the stored positions are read at one point in time. Majority: an
 * acknowledged commit survives a failover, as one survives a power loss in the SQLite store.
 */
const TRANSACTION: TransactionOptions = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } };

/**
 * One transaction: the checkpoint compare-and-set, then the guarded document writes. Errors are
 * never caught inside: a failed command aborts the transaction, and the driver must see it to
 * retry (write conflicts) or give up.
 */
export const commitInTransaction = async (
  target: CommitTarget,
  records: readonly DocRecord[],
  checkpoint: CheckpointMove,
): Promise<void> => {
  try {
    await target.client.withSession((session) =>
      session.withTransaction(async () => {
        await moveCheckpoint(target.checkpoints, session, checkpoint);
        await writeDocs(target.docs, session, records);
      }, TRANSACTION),
    );
  } catch (error) {
    throw await asConflict(target.checkpoints, error, checkpoint);
  }
};

/**
 * Read, compare, then a write conditional on the same value. Of two concurrent commits one fails
 * with a write conflict; the driver retries it, and the retry sees the moved checkpoint.
 */
const moveCheckpoint = async (
  checkpoints: Collection<CheckpointRecord>,
  session: ClientSession,
  { name, expected, next }: CheckpointMove,
): Promise<void> => {
  const current = await checkpoints.findOne({ _id: name }, { session });
  const stored = current ? toPosition(current.position) : null;
  if (stored !== expected) throw new CheckpointConflictError(name, describePosition(expected), describePosition(stored));
  if (expected === null) {
    await checkpoints.insertOne({ _id: name, position: toLong(next) }, { session });
    return;
  }
  const filter = { _id: name, position: toLong(expected) };
  const { matchedCount } = await checkpoints.updateOne(filter, { $set: { position: toLong(next) } }, { session });
  if (matchedCount !== 1) throw new CheckpointConflictError(name, describePosition(expected), 'changed');
};

/** The stored positions are read in the transaction, so planWrites sees what the writes will meet. */
const writeDocs = async (docs: Collection<DocRecord>, session: ClientSession, records: readonly DocRecord[]): Promise<void> => {
  if (records.length === 0) return;
  const ids = [...new Set(records.map((record) => record._id))];
  const stored = new Map<string, Position>();
  // In pieces: a rebuild's commit names up to 100,000 documents (one `$in` or bulk command would be too large).
  for (const chunk of chunksOf(ids)) {
    for (const record of await docs.find({ _id: { $in: chunk } }, { session, projection: { position: 1 } }).toArray()) {
      stored.set(record._id, toPosition(record.position));
    }
  }
  for (const operations of chunksOf(planWrites(stored, records))) await docs.bulkWrite(operations, { session, ordered: true });
};

/** A duplicate key in a commit means another writer created the checkpoint (or a document) first. */
const asConflict = async (
  checkpoints: Collection<CheckpointRecord>,
  error: unknown,
  checkpoint: CheckpointMove,
): Promise<unknown> => {
  if (!isDuplicateKey(error)) return error;
  const current = await checkpoints.findOne({ _id: checkpoint.name });
  const stored = current ? toPosition(current.position) : null;
  if (stored === checkpoint.expected) return error;
  return new CheckpointConflictError(checkpoint.name, describePosition(checkpoint.expected), describePosition(stored));
};
