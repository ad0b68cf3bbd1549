import { ACTIVITY_CATEGORY, type ActivityEvent, type ActivityKind, type CalendarDate, type District, type PartnerKind } from '@wih/domain';
import type { IndexValues, Projection } from './projection';

/** One activity beyond single cases as `GET /api/activities` lists it (no personal data: there is none). */
export interface ActivityDoc {
  readonly activityId: string;
  readonly on: CalendarDate;
  readonly kind: ActivityKind;
  readonly partnerKinds: readonly PartnerKind[];
  readonly district: District;
  readonly hours: number;
  readonly participants: number;
  /** The caseworker who recorded it: a caseworker lists only their own. */
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly revision: number;
}

/** One document per activity stream; an activity is recorded once, so a repeat of its event changes nothing. */
export const activitiesProjection: Projection<ActivityDoc, ActivityEvent> = {
  name: 'activities',
  version: 1,
  category: ACTIVITY_CATEGORY,
  handles: ['ActivityRecorded'],
  documents: 'per-stream',
  keyOf: (event) => event.streamId,
  evolve: (doc, event) => {
    if (doc && doc.revision >= event.revision) return doc;
    const { data } = event;
    return {
      activityId: data.activityId,
      on: data.on,
      kind: data.kind,
      partnerKinds: [...data.partnerKinds],
      district: data.district,
      hours: data.hours,
      participants: data.participants,
      recordedBy: data.recordedBy,
      recordedAt: event.recordedAt,
      revision: event.revision,
    };
  },
  // The list filters by recorder and period and sorts by date: one compound index serves it.
  indexes: ['recordedBy', 'on'],
  compoundIndexes: [['recordedBy', 'on']],
  indexOf: (doc): IndexValues => ({ recordedBy: doc.recordedBy, on: doc.on }),
};

/** API.md's list item: the document without its place in the stream. */
export const toActivityItem = ({ revision: _revision, ...item }: ActivityDoc): Omit<ActivityDoc, 'revision'> => item;
