import {
  AGENDA_RULES,
  agendaOf,
  NULL_DATE_SENTINEL,
  projectionByName,
  searchKey,
  type AgendaItem,
  type AgendaKind,
  type ActivityDoc,
  type CaseDoc,
  type CaseloadSort,
  type TimelineDoc,
} from '@wih/projections';
import { armWakeup, type CommitSignal, type EventStore, type LogPosition } from '@wih/event-store';
import type { Filter, ReadStore, StoredDoc } from '@wih/read-store';
import { collectionOf, readActive } from './generations';

// The sorts live with the indexes that serve them; the API's query DTOs take them from here.
export { CASELOAD_SORTS, type CaseloadSort } from '@wih/projections';

export interface CaseloadQuery {
  readonly caseworkerId?: string;
  readonly status?: CaseDoc['status'];
  /** true: active cases whose next visit is overdue; false: active cases that are not. */
  readonly overdue?: boolean;
  /** Substring of the household name (case-insensitive). */
  readonly q?: string;
  readonly sort: CaseloadSort;
  readonly cursor?: string;
  readonly limit: number;
  readonly today: string;
}

export interface AgendaQuery {
  /** A caseworker's own caseload; absent: every case (the Fachstelle). */
  readonly caseworkerId?: string;
  readonly kinds: readonly AgendaKind[];
  readonly today: string;
  /** Items per kind. */
  readonly limit: number;
}

export interface AgendaPage {
  readonly items: AgendaItem[];
  /** Per kind, how many items beyond the limit were left out. */
  readonly more: Partial<Record<AgendaKind, number>>;
}

export class InvalidCursorError extends Error {}
export class ProjectionLaggingError extends Error {}

interface Cursor {
  readonly s: CaseloadSort;
  readonly v: string;
  readonly id: string;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
const decodeCursor = (text: string, sort: CaseloadSort): Cursor => {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (cursor.s === sort && typeof cursor.v === 'string' && typeof cursor.id === 'string') return cursor;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('the cursor does not belong to this query');
};

/** Queries on the live generation of each read model, with read-your-writes waits. */
export class ReadModels {
  /**
   * `heads` (the event store) lets a wait end for a position of another category: a projection's
   * checkpoint moves only with the events of its own category, so a position written to an
   * activity or a household stream is never reached by the cases projection. Without it, only
   * positions of the projection's own category can be waited for.
   *
   * A wait reads again on every commit the stores signal (`commitSignal`: the embedded stores, in this
   * process at once and from other processes within a few ms; docs/decisions/0043), else every
   * `pollMs` (MongoDB); `signalledPollMs` is the safety net between signals.
   */
  constructor(
    private readonly reads: ReadStore,
    private readonly pollMs = 10,
    private readonly heads?: Pick<EventStore, 'headPosition' | 'commitSignal'>,
    private readonly signalledPollMs = 250,
  ) {}

  private async collection(projection: string): Promise<string | null> {
    const active = await readActive(this.reads, projection);
    return active ? collectionOf(projection, active.generation) : null;
  }

  /**
   * Waits until the projection applied every event of its category up to `minPosition`;
   * ProjectionLaggingError after `timeoutMs`.
   */
  async waitFor(projection: string, minPosition: bigint, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let target = minPosition;
    let narrowed = false;
    for (;;) {
      // Armed before the reads it guards: a commit between them and the wait still wakes it.
      const wakeup = this.armWakeup(narrowed, deadline);
      try {
        const collection = await this.collection(projection);
        const checkpoint = collection ? await this.reads.getCheckpoint(collection) : null;
        if (checkpoint !== null && checkpoint >= target) return;
        // Narrowed once the position is written (a client may wait for one it is about to write).
        if (!narrowed && this.heads && (await this.heads.headPosition()) >= minPosition) {
          narrowed = true;
          target = await this.categoryTarget(projection, minPosition);
          if (target === 0n || (checkpoint !== null && checkpoint >= target)) return;
        }
        if (Date.now() >= deadline) throw new ProjectionLaggingError(`${projection} has not reached position ${minPosition} yet`);
        await wakeup.promise;
      } finally {
        wakeup.cancel();
      }
    }
  }

  /**
   * Woken by the read store's commits (the checkpoint, the active generation) and, until the
   * position is written, by the log's appends (the head it narrows on); by the clock where a
   * store cannot signal, and at the deadline.
   */
  private armWakeup(narrowed: boolean, deadline: number) {
    const wanted = narrowed || !this.heads ? [this.reads.commitSignal] : [this.reads.commitSignal, this.heads.commitSignal];
    const signals = wanted.filter((s): s is CommitSignal => s !== undefined);
    const pollMs = signals.length === wanted.length ? this.signalledPollMs : this.pollMs;
    return armWakeup(signals, Math.max(0, Math.min(pollMs, deadline - Date.now())));
  }

  /**
   * The last event of the projection's category at or before `minPosition`, as far as it matters:
   * the category's head when that is lower (0 when the category is empty). Read after the client
   * got `minPosition` from a completed write, the head already holds every event of the category
   * up to it; later appends get higher positions.
   */
  private async categoryTarget(projection: string, minPosition: bigint): Promise<LogPosition> {
    const category = projectionByName(projection)?.category;
    if (!this.heads || category === undefined) return minPosition;
    const head = await this.heads.headPosition(category);
    return head < minPosition ? head : minPosition;
  }

  async case(caseId: string): Promise<StoredDoc<CaseDoc> | null> {
    const collection = await this.collection('cases');
    return collection ? this.reads.get<CaseDoc>(collection, caseId) : null;
  }

  async timeline(caseId: string): Promise<StoredDoc<TimelineDoc> | null> {
    const collection = await this.collection('timeline');
    return collection ? this.reads.get<TimelineDoc>(collection, caseId) : null;
  }

  /**
   * Every readable household's name and address, once each (erased ones are gone from the read
   * model): what the annual report's text is checked against. Paged by household so that a long
   * read model is read in bounded steps, giving the event loop back between pages.
   */
  async households(pageSize = 2000): Promise<{ name: string; address: string }[]> {
    const collection = await this.collection('cases');
    if (!collection) return [];
    const seen = new Map<string, { name: string; address: string }>();
    let after: { value: string; id: string } | undefined;
    for (;;) {
      const page = await this.reads.find<CaseDoc>(collection, { sortBy: 'householdId', limit: pageSize, after });
      for (const { doc } of page) {
        if ('name' in doc.household) seen.set(`${doc.household.name}\n${doc.household.address}`, doc.household);
      }
      const last = page.at(-1);
      if (page.length < pageSize || !last) return [...seen.values()].map(({ name, address }) => ({ name, address }));
      after = { value: last.doc.householdId, id: last.id };
    }
  }

  /** One recorder's activities, by date (`on`, both bounds inclusive when given), at most `limit`. */
  async activities(query: {
    readonly recordedBy: string;
    readonly from?: string;
    readonly to?: string;
    readonly limit: number;
  }): Promise<ActivityDoc[]> {
    const collection = await this.collection('activities');
    if (!collection) return [];
    const filters: Filter[] = [{ field: 'recordedBy', op: 'eq', value: query.recordedBy }];
    if (query.from !== undefined) filters.push({ field: 'on', op: 'gte', value: query.from });
    if (query.to !== undefined) filters.push({ field: 'on', op: 'lte', value: query.to });
    const page = await this.reads.find<ActivityDoc>(collection, { filters, sortBy: 'on', limit: query.limit });
    return page.map((d) => d.doc);
  }

  /** A page of the caseload, keyset-paged on (sort field, case id): stable while writes continue. */
  async caseload(query: CaseloadQuery): Promise<{ items: CaseDoc[]; nextCursor: string | null }> {
    const collection = await this.collection('cases');
    if (!collection) return { items: [], nextCursor: null };
    const after = query.cursor ? decodeCursor(query.cursor, query.sort) : undefined;
    const page = await this.reads.find<CaseDoc>(collection, {
      filters: filtersOf(query),
      sortBy: query.sort,
      limit: query.limit + 1,
      after: after ? { value: after.v, id: after.id } : undefined,
    });
    const items = page.slice(0, query.limit).map((d) => d.doc);
    const last = items.at(-1);
    const nextCursor =
      page.length > query.limit && last
        ? encodeCursor({ s: query.sort, v: last[query.sort] ?? NULL_DATE_SENTINEL, id: last.caseId })
        : null;
    return { items, nextCursor };
  }

  /**
   * The agenda: per kind one range over its (status or caseload, date) index, earliest first,
   * `limit + 1` documents; only when the page overflows is the rest counted.
   */
  async agenda(query: AgendaQuery): Promise<AgendaPage> {
    const collection = await this.collection('cases');
    const items: AgendaItem[] = [];
    const more: Partial<Record<AgendaKind, number>> = {};
    for (const kind of query.kinds) {
      const filters = agendaFiltersOf(kind, query);
      const page = collection
        ? await this.reads.find<CaseDoc>(collection, { filters, sortBy: AGENDA_RULES[kind].field, limit: query.limit + 1 })
        : [];
      // Find and count are two reads: a case that left in between must not make the rest negative.
      const overflow =
        collection && page.length > query.limit ? Math.max(1, (await this.reads.count(collection, filters)) - query.limit) : 0;
      items.push(
        ...agendaOf(
          page.slice(0, query.limit).map((d) => d.doc),
          query.today,
          [kind],
        ),
      );
      more[kind] = overflow;
    }
    return { items, more };
  }
}

/** The read store's form of an agenda kind's rule (libs/projections/src/lib/agenda.ts). */
function agendaFiltersOf(kind: AgendaKind, query: AgendaQuery): Filter[] {
  const { status, field, range } = AGENDA_RULES[kind];
  const { from, to } = range(query.today);
  const filters: Filter[] = [{ field: 'status', op: 'eq', value: status }];
  if (query.caseworkerId !== undefined) filters.push({ field: 'caseloadOf', op: 'eq', value: query.caseworkerId });
  if (from !== undefined) filters.push({ field, op: 'gte', value: from });
  // The index holds NULL_DATE_SENTINEL for a missing date, which is never an item (agendaItemOf).
  filters.push(to !== undefined ? { field, op: 'lte', value: to } : { field, op: 'lt', value: NULL_DATE_SENTINEL });
  return filters;
}

function filtersOf(query: CaseloadQuery): Filter[] {
  const filters: Filter[] = [];
  if (query.caseworkerId !== undefined) filters.push({ field: 'caseloadOf', op: 'eq', value: query.caseworkerId });
  if (query.status !== undefined) filters.push({ field: 'status', op: 'eq', value: query.status });
  if (query.overdue !== undefined) {
    filters.push({ field: 'status', op: 'eq', value: 'active' });
    filters.push({ field: 'nextVisitDueOn', op: query.overdue ? 'lt' : 'gte', value: query.today });
  }
  if (query.q) filters.push({ field: 'householdName', op: 'contains', value: searchKey(query.q) });
  return filters;
}
