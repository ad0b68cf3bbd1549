import type { ActivityCell, ActivityFigures } from '../activities/activities';
import type { PeriodicReport } from './periodic-report';
import type { ReportLabels, VocabularyLabels } from './labels';

/** The breakdowns of the activities block and the vocabulary that labels their codes. */
export const ACTIVITY_BREAKDOWNS = { byKind: 'activityKind', byPartner: 'referralSource', byDistrict: 'district' } as const satisfies {
  readonly [K in keyof ActivityFigures]?: keyof VocabularyLabels;
};
export type ActivityBreakdown = keyof typeof ACTIVITY_BREAKDOWNS;
const TOTALS = ['total', 'hours', 'participants'] as const;

/**
 * One figure of the activities block in both periods, in the report's order: the totals, then per
 * breakdown and code its count and its hours (`metric` "byKind.count", "byKind.hours"). Always
 * numbers: these figures are published as they are (decision 0024).
 */
export interface ActivityRow {
  readonly block: 'activities';
  readonly metric: string;
  readonly code: string | null;
  /** Hours are quarter hours, so they need decimals. */
  readonly unit: 'count' | 'hours';
  readonly current: number;
  readonly previous: number;
}

const cellOf = (figures: ActivityFigures, breakdown: ActivityBreakdown, code: string): ActivityCell =>
  (figures[breakdown] as Readonly<Record<string, ActivityCell>>)[code] ?? { count: 0, hours: 0 };

export const activityRows = ({ current, previous }: PeriodicReport): ActivityRow[] => {
  const [now, before] = [current.activities, previous.activities];
  const totals = TOTALS.map((metric): ActivityRow => ({
    block: 'activities',
    metric,
    code: null,
    unit: metric === 'hours' ? 'hours' : 'count',
    current: now[metric],
    previous: before[metric],
  }));
  const cells = (Object.keys(ACTIVITY_BREAKDOWNS) as ActivityBreakdown[]).flatMap((breakdown) =>
    // A code counted in only one year (e.g. new to this version) had no activities in the other: 0.
    [...new Set([...Object.keys(now[breakdown]), ...Object.keys(before[breakdown])])].flatMap((code) =>
      (['count', 'hours'] as const).map((unit): ActivityRow => ({
        block: 'activities',
        metric: `${breakdown}.${unit}`,
        code,
        unit,
        current: cellOf(now, breakdown, code)[unit],
        previous: cellOf(before, breakdown, code)[unit],
      })),
    ),
  );
  return [...totals, ...cells];
};

const own = (labels: object, key: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(labels, key) ? (labels as Readonly<Record<string, string>>)[key] : undefined;

/** The label of a code of a breakdown; an unknown code is shown as itself (and escaped by the renderer). */
export const activityCodeLabel = (labels: ReportLabels, breakdown: ActivityBreakdown, code: string): string =>
  own(labels.codes[ACTIVITY_BREAKDOWNS[breakdown]], code) ?? code;

/** "Einzelfallübergreifende Tätigkeiten – Tätigkeiten nach Art: Vernetzung im Sozialraum – Stunden". */
export const fullActivityLabel = (labels: ReportLabels, row: ActivityRow): string => {
  const { activities } = labels;
  if (row.code === null) return `${activities.heading} – ${activities[row.metric as (typeof TOTALS)[number]]}`;
  const breakdown = row.metric.split('.')[0] as ActivityBreakdown;
  const unit = row.unit === 'hours' ? activities.cellHours : activities.count;
  return `${activities.heading} – ${activities[breakdown]}: ${activityCodeLabel(labels, breakdown, row.code)} – ${unit}`;
};
