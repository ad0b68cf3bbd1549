import type { EventStore, Partition } from '@wih/event-store';
import type { Projection } from '@wih/projections';
import type { DocWrite, IndexValue } from '@wih/read-store';
import { toProjectedEvent } from './projected-event';

/** One document a partition folded, ready to write: its JSON text and index values computed where it was folded. */
export interface FoldedDoc {
  readonly id: string;
  /** null: the projection deleted the document. */
  readonly json: string | null;
  readonly position: bigint;
  readonly index: Readonly<Record<string, IndexValue>>;
}

export interface FoldedPartition {
  /** Events of the partition read (handled or not), up to `upto`. */
  readonly events: number;
  readonly docs: readonly FoldedDoc[];
  /** Where the thread could measure itself: its CPU and wall time (ms), for benchmarks. */
  readonly threadCpuMs?: number;
  readonly wallMs?: number;
}

/**
 * Folds a rebuild's log in parallel: the log of the projection's category up to `upto` (inclusive) split
 * by stream into `partitions` parts (a stream's events all fall in one part), each folded from the
 * start on its own thread. Rejects when a part cannot be folded (an event the projection throws on,
 * a thread that died, `signal` aborted): the runner then folds on its own thread, which parks.
 */
export interface PartitionedFold {
  readonly partitions: number;
  /** `onProgress` hears the events each part has read as it goes (the rebuild's `done` moves meanwhile). */
  fold(projection: string, upto: bigint, signal: AbortSignal, onProgress?: FoldProgress): Promise<FoldedPartition[]>;
}

/** Events read since the last call (handled or not), by one part. */
export type FoldProgress = (events: number) => void;

const BATCH_SIZE = 2_000;

/**
 * One part of a partitioned fold, from the start of the log: what each thread runs, on the event
 * store opened as production opens it (upcasting, personal data opened), so it sees what the runner sees.
 */
export async function foldPartition(
  projection: Projection<unknown>,
  events: EventStore,
  partition: Partition,
  upto: bigint,
  signal?: AbortSignal,
  onProgress?: FoldProgress,
): Promise<FoldedPartition> {
  const handles: ReadonlySet<string> = new Set(projection.handles);
  const docs = new Map<string, { doc: unknown; position: bigint }>();
  let count = 0;
  for await (const batch of events.readAll({ category: projection.category, partition, batchSize: BATCH_SIZE })) {
    if (signal?.aborted) throw new Error('partitioned fold aborted');
    const before = count;
    for (const recorded of batch) {
      if (recorded.position > upto) break;
      count++;
      if (!handles.has(recorded.type)) continue;
      const event = toProjectedEvent(recorded);
      const key = projection.keyOf(event);
      // Throws on a poison event: the whole partitioned fold gives way to the runner's own.
      docs.set(key, { doc: projection.evolve(docs.get(key)?.doc ?? null, event), position: recorded.position });
    }
    onProgress?.(count - before);
    if (batch[batch.length - 1].position > upto) break;
  }
  return finish(projection, docs, count);
}

const finish = (
  projection: Projection<unknown>,
  docs: Map<string, { doc: unknown; position: bigint }>,
  events: number,
): FoldedPartition => ({
  events,
  docs: [...docs].map(([id, { doc, position }]) => ({
    id,
    position,
    json: doc === null ? null : JSON.stringify(doc),
    index: doc === null ? {} : projection.indexOf(doc),
  })),
});

/** The write of a folded document: the store writes its JSON text; `doc` parses it only for a store that needs the value. */
export const writeOf = (folded: FoldedDoc): DocWrite => {
  const { id, json, position, index } = folded;
  if (json === null) return { id, doc: null, position, index };
  return {
    id,
    json,
    position,
    index,
    get doc(): unknown {
      return JSON.parse(json);
    },
  };
};

/**
 * The parts folded one after another on this thread: the same result as the worker threads, for
 * tests and for a store opened in-process. Not faster than the runner's own fold.
 */
export const inProcessPartitions = (
  projections: readonly Projection<unknown>[],
  events: EventStore,
  partitions: number,
): PartitionedFold => ({
  partitions,
  fold: async (name, upto, signal, onProgress) => {
    const projection = projections.find((p) => p.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    const parts: FoldedPartition[] = [];
    for (let index = 0; index < partitions; index++)
      parts.push(await foldPartition(projection, events, { index, count: partitions }, upto, signal, onProgress));
    return parts;
  },
});
