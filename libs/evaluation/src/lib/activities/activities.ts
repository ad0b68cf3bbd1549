import {
  ACTIVITY_KINDS,
  DISTRICTS,
  PARTNER_KINDS,
  type ActivityKind,
  type ActivityRecorded,
  type CalendarDate,
  type District,
  type PartnerKind,
} from '@wih/domain';
import { inPeriod, type Period } from '../raw';

/** An activity event as evaluation reads it: its codes and numbers, with when it was recorded (asOf). */
export interface ActivityEvaluationEvent {
  readonly type: ActivityRecorded['type'];
  /** Without `recordedBy`: who recorded an activity is no figure of the report. */
  readonly data: Omit<ActivityRecorded['data'], 'recordedBy'>;
  readonly recordedAt: string;
  readonly businessDate: CalendarDate;
}

/** One activity as known at asOf. */
export interface ActivityFact {
  readonly activityId: string;
  readonly on: CalendarDate;
  readonly kind: ActivityKind;
  readonly partnerKinds: readonly PartnerKind[];
  readonly district: District;
  readonly hours: number;
  readonly participants: number;
}

export const activityFactOf = ({ data }: ActivityEvaluationEvent): ActivityFact => ({
  activityId: data.activityId,
  on: data.on,
  kind: data.kind,
  partnerKinds: [...data.partnerKinds],
  district: data.district,
  hours: data.hours,
  participants: data.participants,
});

/** A cell of an activity breakdown: how many activities, and their hours. */
export interface ActivityCell {
  readonly count: number;
  readonly hours: number;
}

/**
 * The activities beyond single cases in a period (by `on`). Counts of staff work, not of
 * households: published as they are, outside the household disclosure audit (decision 0024).
 * An activity with several partner kinds counts under each, so byPartner does not sum to total.
 */
export interface ActivityFigures {
  readonly total: number;
  readonly hours: number;
  readonly participants: number;
  readonly byKind: Readonly<Record<ActivityKind, ActivityCell>>;
  readonly byPartner: Readonly<Record<PartnerKind, ActivityCell>>;
  readonly byDistrict: Readonly<Record<District, ActivityCell>>;
}

type Cells<Code extends string> = Record<Code, { count: number; hours: number }>;
/** Every code listed (0 when none), so the shape is stable; a code unknown to this version still counts. */
const cells = <Code extends string>(codes: readonly Code[]): Cells<Code> =>
  Object.fromEntries(codes.map((code) => [code, { count: 0, hours: 0 }])) as Cells<Code>;
const add = <Code extends string>(into: Cells<Code>, code: Code, hours: number): void => {
  const cell = (into[code] ??= { count: 0, hours: 0 });
  cell.count += 1;
  cell.hours += hours; // quarter hours add up exactly in binary floating point
};

export const computeActivities = (activities: readonly ActivityFact[], period: Period): ActivityFigures => {
  const byKind = cells(ACTIVITY_KINDS);
  const byPartner = cells(PARTNER_KINDS);
  const byDistrict = cells(DISTRICTS);
  let total = 0;
  let hours = 0;
  let participants = 0;
  for (const activity of activities) {
    if (!inPeriod(activity.on, period)) continue;
    total += 1;
    hours += activity.hours;
    participants += activity.participants;
    add(byKind, activity.kind, activity.hours);
    add(byDistrict, activity.district, activity.hours);
    for (const partner of activity.partnerKinds) add(byPartner, partner, activity.hours);
  }
  return { total, hours, participants, byKind, byPartner, byDistrict };
};
