import type { CaseEvent } from '@wih/domain';

/** A case event as projections see it: the decoded event plus where and when it was recorded. */
export type ProjectedEvent = CaseEvent & {
  readonly caseId: string;
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
export interface Projection<Doc> {
  readonly name: string;
  /** Bump when the document shape changes: a rebuild then fills a new generation. */
  readonly version: number;
  readonly handles: readonly CaseEvent['type'][];
  /** The document an event belongs to. */
  readonly keyOf: (event: ProjectedEvent) => string;
  readonly evolve: (doc: Doc | null, event: ProjectedEvent) => Doc | null;
  /** Index fields and their values for a document (the store's indexed columns). */
  readonly indexes: readonly string[];
  /** Indexes over several of those fields for the queries that filter on some and sort on another (see the read store). */
  readonly compoundIndexes?: readonly (readonly string[])[];
  /** Index fields searched by substring (`contains`). */
  readonly searchIndexes?: readonly string[];
  readonly indexOf: (doc: Doc) => IndexValues;
}
