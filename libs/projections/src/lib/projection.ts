import type { ActivityEvent, CaseEvent } from '@wih/domain';

/** The events of a category that projections read: case events by default, or activity events. */
export type ProjectableEvent = CaseEvent | ActivityEvent;

/** An event as projections see it: the decoded event plus where and when it was recorded. */
export type ProjectedEvent<E extends ProjectableEvent = CaseEvent> = E & {
  /** The id of the event's stream within the projection's category (for a case event, the case id). */
  readonly streamId: string;
  readonly revision: number;
  /** Global log position, as a decimal string (documents stay JSON). */
  readonly position: string;
  readonly recordedAt: string;
  readonly businessDate: string;
};

export type IndexValues = Readonly<Record<string, string | number | boolean | null>>;

/**
 * A projection is pure: `evolve(doc | null, event) → doc | null` for the events it handles, plus
 * the index values the read store filters and sorts on. Replaying an event it already applied
 * must be harmless (the runner also guards by position).
 */
export interface Projection<Doc, E extends ProjectableEvent = CaseEvent> {
  readonly name: string;
  /** Bump when the document shape changes: a rebuild then fills a new generation. */
  readonly version: number;
  /** The stream category it reads: the runner reads the log of this category only. */
  readonly category: string;
  readonly handles: readonly E['type'][];
  /**
   * How keys map to streams. `per-stream`: `keyOf` is the event's stream id, one document per
   * stream, so a rebuild may fold the log split by stream in parallel. `across-streams`: a document
   * may gather events of many streams, so it is folded in log order on one thread. Either way a
   * parked event keeps its own stream id, and a retry reads it from there, whatever the key.
   */
  readonly documents: 'per-stream' | 'across-streams';
  /** The document an event belongs to. */
  readonly keyOf: (event: ProjectedEvent<E>) => string;
  readonly evolve: (doc: Doc | null, event: ProjectedEvent<E>) => Doc | null;
  /** Index fields and their values for a document (the store's indexed columns). */
  readonly indexes: readonly string[];
  /** Indexes over several of those fields for the queries that filter on some and sort on another (see the read store). */
  readonly compoundIndexes?: readonly (readonly string[])[];
  /** Index fields searched by substring (`contains`). */
  readonly searchIndexes?: readonly string[];
  readonly indexOf: (doc: Doc) => IndexValues;
}
