import { CASE_CATEGORY, CASE_EVENT_TYPES, PERSONAL_EVENT_TYPES, type CalendarDate, type CaseEventType, type Household } from '@wih/domain';
import { ERASED, householdView, personalOf } from './personal';
import type { IndexValues, ProjectedEvent, Projection } from './projection';

/** One event of the case as a readable entry (API.md's timeline item). */
export interface TimelineItem {
  readonly revision: number;
  readonly type: CaseEventType;
  readonly occurredOn: CalendarDate;
  readonly recordedAt: string;
  /** The event's facts with its personal fields (household, notes) flattened in; a plan's wording in its goals. */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface TimelineDoc {
  readonly caseId: string;
  /** In revision order, one item per revision. */
  readonly items: readonly TimelineItem[];
}

/**
 * Caseworkers and the Fachstelle read the personal fields on the timeline, so they are merged
 * into the entry. The household gets the case detail's shape (phone null, not absent). When the
 * personal part is unreadable (erased), the entry says so instead of silently lacking notes.
 */
const entryData = (event: ProjectedEvent): Record<string, unknown> => {
  const facts: Record<string, unknown> = { ...event.data };
  // Which details changed and why, never their values: the case detail shows the current ones (decision 0030).
  if (!PERSONAL_EVENT_TYPES.has(event.type) || event.type === 'HouseholdDetailsChanged') return facts;
  const personal = personalOf(event);
  if (personal === null) {
    if (event.type === 'ReferralReceived') return { ...facts, household: ERASED, personalDataErased: true };
    if (event.type === 'HelpPlanAgreed') return { ...planEntry(event, {}), personalDataErased: true };
    return { ...facts, personalDataErased: true };
  }
  if (event.type === 'HelpPlanAgreed') return planEntry(event, personal);
  const { household, ...rest } = personal;
  return household === undefined ? { ...facts, ...rest } : { ...facts, household: householdView(household as Household), ...rest };
};

/** A help plan reads goal by goal: each goal's wording beside its facts, the notes as on other entries. */
const planEntry = (event: Extract<ProjectedEvent, { type: 'HelpPlanAgreed' }>, personal: Readonly<Record<string, unknown>>) => {
  const { wording, ...rest } = personal;
  const texts = (wording ?? {}) as Readonly<Record<string, unknown>>;
  const goals = event.data.goals.map((goal) => {
    const text = Object.hasOwn(texts, goal.goalId) ? texts[goal.goalId] : undefined;
    return typeof text === 'string' ? { ...goal, wording: text } : { ...goal, wording: ERASED };
  });
  return { ...event.data, goals, ...rest };
};

/**
 * What an erasure leaves of an earlier entry: its facts, the household as erased, no notes. Old
 * plaintext events (schema 1) are masked this way too, on every replay, because the
 * PersonalDataErased event follows them in the case's stream.
 */
const withoutPersonal = (item: TimelineItem): TimelineItem => {
  if (!PERSONAL_EVENT_TYPES.has(item.type)) return item;
  const { household, notes: _notes, ...facts } = item.data;
  const data = household === undefined ? facts : { ...facts, household: ERASED };
  const goals =
    item.type === 'HelpPlanAgreed' ? { goals: (facts['goals'] as readonly object[]).map((goal) => ({ ...goal, wording: ERASED })) } : {};
  return { ...item, data: { ...data, ...goals, personalDataErased: true } };
};

/**
 * How an entry's household reads once the details changed: the old values are not repeated to the
 * reader (the case detail shows the current ones); the access report shows them as they were.
 */
export const SUPERSEDED = { superseded: true } as const;

const withoutOldDetails = (item: TimelineItem): TimelineItem => {
  const household = item.data['household'];
  if (household === null || typeof household !== 'object' || !('name' in household)) return item;
  return { ...item, data: { ...item.data, household: SUPERSEDED } };
};

/** An erasure strips the personal fields of every entry before it; a change of details the household of every entry. */
const afterErasure = (event: ProjectedEvent, items: readonly TimelineItem[]): readonly TimelineItem[] => {
  if (event.type === 'PersonalDataErased') return items.map(withoutPersonal);
  if (event.type === 'HouseholdDetailsChanged') return items.map(withoutOldDetails);
  return items;
};

const itemOf = (event: ProjectedEvent): TimelineItem => ({
  revision: event.revision,
  type: event.type,
  occurredOn: event.businessDate,
  recordedAt: event.recordedAt,
  data: entryData(event),
});

export const evolveTimelineDoc = (doc: TimelineDoc | null, event: ProjectedEvent): TimelineDoc => {
  const items = doc?.items ?? [];
  const last = items.length === 0 ? undefined : items[items.length - 1];
  // Events arrive in revision order: the next one is appended (a copy; the input stays as it was).
  if (last === undefined || last.revision < event.revision) {
    return { caseId: doc?.caseId ?? event.streamId, items: afterErasure(event, [...items, itemOf(event)]) };
  }
  // A replayed revision is already there: keep the document as it is.
  if (items.some((item) => item.revision === event.revision)) return doc as TimelineDoc;
  // One out of order is inserted in its place.
  const at = items.findIndex((item) => item.revision > event.revision);
  return { caseId: doc?.caseId ?? event.streamId, items: afterErasure(event, [...items.slice(0, at), itemOf(event), ...items.slice(at)]) };
};

export const timelineIndexOf = (doc: TimelineDoc): IndexValues => ({ caseId: doc.caseId });

export const timelineProjection: Projection<TimelineDoc> = {
  name: 'timeline',
  // 2: entries' households superseded by HouseholdDetailsChanged (decision 0030).
  version: 2,
  category: CASE_CATEGORY,
  documents: 'per-stream',
  handles: CASE_EVENT_TYPES,
  keyOf: (event) => event.streamId,
  evolve: evolveTimelineDoc,
  indexes: ['caseId'],
  indexOf: timelineIndexOf,
};
