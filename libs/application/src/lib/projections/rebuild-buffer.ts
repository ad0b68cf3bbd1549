/** A document as the runner holds it between reading and committing; updated in place (the document in it is never changed). */
export type Slot = { doc: unknown; position: bigint; changed: boolean };

/**
 * A rebuild's catch-up state: every document seen (clean or changed since the last commit) and
 * what it folded, so that it commits each changed document once per `rebuildCommitEvents` events
 * instead of once per batch.
 */
export class RebuildBuffer {
  readonly docs = new Map<string, Slot>();
  readonly dirty = new Set<string>();
  /** Events read since the last commit. */
  private events = 0;

  constructor(
    /** The store holds no document that `docs` lacks: the rebuild started on an empty generation, and nothing was evicted. */
    private complete: boolean,
    /** Position of the last event folded. */
    public position: bigint | null,
  ) {}

  /** Of a batch's keys, those the store must be asked for. */
  missing(keys: readonly string[]): string[] {
    return this.complete ? [] : keys.filter((key) => !this.docs.has(key));
  }

  /** Known to be absent, so it is not read again (-1: before every position). */
  absent(key: string): void {
    this.docs.set(key, { doc: null, position: -1n, changed: false });
  }

  folded(position: bigint, events: number): void {
    this.position = position;
    this.events += events;
  }

  due(commitEvents: number): boolean {
    return this.events >= commitEvents;
  }

  /** Nothing folded since the commit that moved the checkpoint to `checkpoint`. */
  committed(checkpoint: bigint | null): boolean {
    return this.position === null || (this.position === checkpoint && this.dirty.size === 0);
  }

  /** After a commit of the dirty documents: clean again, and beyond `cachedDocs` forgotten (read back from the store). */
  written(cachedDocs: number): void {
    for (const id of this.dirty) (this.docs.get(id) as Slot).changed = false;
    this.dirty.clear();
    this.events = 0;
    if (this.docs.size > cachedDocs) {
      this.docs.clear();
      this.complete = false;
    }
  }
}
