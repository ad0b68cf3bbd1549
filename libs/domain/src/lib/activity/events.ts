import type { CalendarDate } from '../dates';
import type { ActivityKind, District, PartnerKind } from './vocabulary';

/**
 * An activity beyond single cases (DOMAIN.md "Work beyond single cases"): codes and numbers only,
 * no case, no household, no free text, so the event has no personal part at all. `recordedBy` is
 * the staff member who recorded it (as on a referral): the list of one's own activities reads it.
 */
export interface ActivityRecorded {
  readonly type: 'ActivityRecorded';
  readonly data: {
    readonly activityId: string;
    readonly on: CalendarDate;
    readonly kind: ActivityKind;
    readonly partnerKinds: readonly PartnerKind[];
    readonly district: District;
    /** Quarter hours: 0.25 to 24. */
    readonly hours: number;
    readonly participants: number;
    readonly recordedBy: string;
  };
}

export type ActivityEvent = ActivityRecorded;
export type ActivityEventType = ActivityEvent['type'];

/** The catalogue: one entry per type (a type added to the union without an entry does not compile). */
const ACTIVITY_EVENTS = { ActivityRecorded: true } as const satisfies { readonly [Type in ActivityEventType]: true };

export const ACTIVITY_EVENT_TYPES: readonly ActivityEventType[] = Object.keys(ACTIVITY_EVENTS) as ActivityEventType[];

export const isActivityEventType = (type: string): type is ActivityEventType => Object.hasOwn(ACTIVITY_EVENTS, type);
