import type { EventStore, Partition } from '@wih/event-store';
import type { ProjectedEvent, Projection } from '@wih/projections';
import type { DocWrite, IndexValue } from '@wih/read-store';
import { toProjectedEvent } from './projected-event';
import { describeError } from './runner-settings';
import { everyProjectionOf, sharedPass, type PassOutcome } from './shared-pass';

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
 * start on its own thread, in one pass with the other rebuilds of the category that run meanwhile
 * (`sharedPass`). Rejects when a part cannot be folded (an event the projection throws on, a thread
 * that died, `signal` aborted): the runner then folds on its own thread, which parks.
 */
export interface PartitionedFold {
  readonly partitions: number;
  /** `onProgress` hears the events each part has read as it goes (the rebuild's `done` moves meanwhile). */
  fold(projection: string, upto: bigint, signal: AbortSignal, onProgress?: FoldProgress): Promise<FoldedPartition[]>;
}

/** Events read since the last call (handled or not), by one part. */
export type FoldProgress = (events: number) => void;

/** How long a rebuild's pass waits for the other projections of its category to join (see `sharedPass`). */
export const DEFAULT_GATHER_MS = 250;

const BATCH_SIZE = 2_000;

/** One projection's share of a part's pass: its fold up to its own `upto` (the head its rebuild read at its start). */
export interface PassMember {
  readonly projection: Projection<unknown>;
  readonly upto: bigint;
}

/** A part folded for one member, or why the member's projection threw (the other members go on). */
export type PartOutcome = FoldedPartition | { readonly error: string };

interface MemberFold extends PassMember {
  readonly handles: ReadonlySet<string>;
  readonly docs: Map<string, { doc: unknown; position: bigint }>;
  events: number;
  error: string | null;
}

/**
 * One part of a shared rebuild pass, from the start of the log: what each thread runs, on the
 * event store opened as production opens it (upcasting, personal data opened), so it sees what the
 * runner sees. Each event is read and decoded once and handed to every member's fold; a member
 * whose projection throws (a poison event) leaves the pass, and its runner folds alone. A decoding
 * error, or `signal` aborted, rejects the part for every member.
 */
export async function foldPartitionPass(
  members: readonly PassMember[],
  events: EventStore,
  partition: Partition,
  signal?: AbortSignal,
  onProgress?: (member: number, events: number) => void,
): Promise<PartOutcome[]> {
  const category = members[0]?.projection.category;
  if (members.some((m) => m.projection.category !== category)) throw new Error('a pass reads one category');
  const folds: MemberFold[] = members.map((m) => ({
    ...m,
    handles: new Set(m.projection.handles),
    docs: new Map(),
    events: 0,
    error: null,
  }));
  const upto = folds.reduce((max, f) => (f.upto > max ? f.upto : max), 0n);
  for await (const batch of events.readAll({ category, partition, batchSize: BATCH_SIZE })) {
    if (signal?.aborted) throw new Error('partitioned fold aborted');
    const before = folds.map((f) => f.events);
    for (const recorded of batch) {
      if (recorded.position > upto) break;
      let event: ProjectedEvent | undefined;
      for (const fold of folds) {
        if (fold.error !== null || recorded.position > fold.upto) continue;
        fold.events++;
        if (!fold.handles.has(recorded.type)) continue;
        // Decoded once, for the first member that handles it; projections never change their events.
        event ??= toProjectedEvent(recorded);
        try {
          const key = fold.projection.keyOf(event);
          fold.docs.set(key, { doc: fold.projection.evolve(fold.docs.get(key)?.doc ?? null, event), position: recorded.position });
        } catch (error) {
          fold.error = describeError(error);
          fold.docs.clear();
        }
      }
    }
    folds.forEach((f, i) => {
      if (f.error === null && f.events > before[i]) onProgress?.(i, f.events - before[i]);
    });
    if (batch[batch.length - 1].position > upto || folds.every((f) => f.error !== null)) break;
  }
  return folds.map((f) => (f.error !== null ? { error: f.error } : finish(f.projection, f.docs, f.events)));
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
 * The outcomes of a pass's parts gathered per member: its parts in order, or the first part's error.
 * Used by the in-process pass and by the runtime's threads.
 */
export const outcomesByMember = (members: number, parts: readonly (readonly PartOutcome[])[]): PassOutcome[] =>
  Array.from({ length: members }, (_, i) => {
    const mine = parts.map((part) => part[i]);
    const failed = mine.find((p): p is { error: string } => 'error' in p);
    return failed ?? { parts: mine as FoldedPartition[] };
  });

/**
 * The parts folded one after another on this thread, as shared passes: the same result as the
 * worker threads, for tests and for a store opened in-process. Not faster than the runner's own fold.
 * A pass starts as soon as every `per-stream` projection of its category among `projections` joined.
 */
export const inProcessPartitions = (
  projections: readonly Projection<unknown>[],
  events: EventStore,
  partitions: number,
  gatherMs = DEFAULT_GATHER_MS,
): PartitionedFold => {
  const named = (name: string) => {
    const projection = projections.find((p) => p.name === name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    return projection;
  };
  return sharedPass(
    async (requests, signal, onProgress) => {
      const members = requests.map((r) => ({ projection: named(r.projection), upto: r.upto }));
      const parts: PartOutcome[][] = [];
      for (let index = 0; index < partitions; index++)
        parts.push(await foldPartitionPass(members, events, { index, count: partitions }, signal, onProgress));
      return outcomesByMember(members.length, parts);
    },
    { partitions, categoryOf: (name) => named(name).category, complete: everyProjectionOf(projections), gatherMs },
  );
};
