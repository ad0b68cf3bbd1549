import type { EventStore } from '@wih/event-store';
import type { Projection } from '@wih/projections';
import type { ReadStore } from '@wih/read-store';
import { writeOf, type PartitionedFold } from './partitioned';
import { describeError, type RunnerLogger } from './runner-settings';

export interface PartitionedCatchUpOptions {
  readonly projection: Projection<unknown>;
  readonly collection: string;
  readonly events: EventStore;
  readonly reads: ReadStore;
  readonly partitions: PartitionedFold;
  readonly signal: AbortSignal;
  readonly fence: { fence?: number };
  readonly logger?: RunnerLogger;
  /** Runs the commit between the runner's batches and admin requests. */
  readonly exclusive: (work: () => Promise<void>) => Promise<void>;
  /** Events the parts have read, as they go. */
  readonly onProgress: (events: number) => void;
}

/** `committed`: the head it committed and the events read; `failed`: the runner folds alone (and counts again); `none`: nothing to do, or stopped. */
export type PartitionedCatchUp = { readonly committed: bigint; readonly events: number } | 'failed' | 'none';

/**
 * The log up to its head, folded on parallel threads, committed in one commit with the head as
 * checkpoint (no commit before: a crash restarts it from the start). Events appended meanwhile,
 * and everything after a failure here, the runner reads itself from the checkpoint then.
 */
export async function partitionedCatchUp(options: PartitionedCatchUpOptions): Promise<PartitionedCatchUp> {
  const { projection, collection, reads, signal } = options;
  const upto = await options.events.headPosition(projection.category);
  if (upto === 0n) return 'none';
  let parts;
  try {
    parts = await options.partitions.fold(projection.name, upto, signal, options.onProgress);
  } catch (error) {
    if (!signal.aborted)
      options.logger?.warn('partitioned rebuild failed; folding on one thread', { collection, error: describeError(error) });
    return 'failed';
  }
  if (signal.aborted) return 'none';
  const writes = parts.flatMap((part) => part.docs.map(writeOf));
  await options.exclusive(() => reads.commit(collection, writes, { name: collection, expected: null, next: upto, ...options.fence }));
  return { committed: upto, events: parts.reduce((sum, part) => sum + part.events, 0) };
}
