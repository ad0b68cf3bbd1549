import type { PublishedCount, Statistics, StatisticsBlocks } from '../anonymise';
import { NOT_RECORDED } from '../metrics/mediations';
import { METRICS, type BlockName } from '../metrics/registry';
import type { PeriodicReport } from './periodic-report';
import type { ReportLabels, VocabularyLabels } from './labels';

export type FigureKind = 'count' | 'share' | 'median';
/** A published figure: a count (maybe hidden), or a share or median (null when withheld). */
export type Figure = PublishedCount | null;
export type Scope = 'all' | 'withChildren';

/** One figure of the report in both periods: the long format shared by the HTML tables and the CSV. */
export interface ReportRow {
  readonly scope: Scope;
  readonly block: BlockName;
  readonly metric: string;
  /** The code of a breakdown cell or the repeat window; null for a single figure. */
  readonly code: string | null;
  readonly kind: FigureKind;
  readonly current: Figure;
  readonly previous: Figure;
}

/** 'shares': a share per code (the help plan's achieved shares by area and by actor). */
type FieldLayout = FigureKind | 'breakdown' | 'shares' | 'window';

/** How each published field reads; typed so that a new metric field must be placed here. */
const LAYOUT: { readonly [B in BlockName]: { readonly [K in keyof StatisticsBlocks[B]]: FieldLayout } } = {
  referrals: {
    total: 'count',
    bySource: 'breakdown',
    byTargetGroup: 'breakdown',
    withChildren: 'count',
    byHousingSituation: 'breakdown',
    byThreatCause: 'breakdown',
  },
  decisions: { approved: 'count', rejected: 'count', rejectedByReason: 'breakdown', medianDaysToDecision: 'median' },
  cases: { activeAtStart: 'count', activeAtEnd: 'count', served: 'count' },
  visits: { total: 'count', householdMetShare: 'share', onTimeShare: 'share', byConcern: 'breakdown' },
  mediations: { total: 'count', byKind: 'breakdown', byInstitutionKind: 'breakdown' },
  housingSecured: { total: 'count', byOutcome: 'breakdown' },
  extensions: { total: 'count', byReason: 'breakdown' },
  closures: {
    total: 'count',
    byReason: 'breakdown',
    medianDaysApprovalToClose: 'median',
    housingSecuredRate: 'share',
    byHousingAtClose: 'breakdown',
  },
  repeatCases: { '6m': 'window', '12m': 'window', '24m': 'window' },
  helpPlans: {
    casesWithPlan: 'count',
    plansAgreed: 'count',
    householdParticipated: 'count',
    goalsAgreed: 'count',
    goalsByArea: 'breakdown',
    goalsByActor: 'breakdown',
    goalsSettled: 'count',
    settledByStatus: 'breakdown',
    settledByArea: 'breakdown',
    settledByActor: 'breakdown',
    achievedByArea: 'breakdown',
    achievedByActor: 'breakdown',
    achievedShareByArea: 'shares',
    achievedShareByActor: 'shares',
    goalsReviewed: 'count',
    viewAtLastReview: 'breakdown',
  },
};

const WINDOW_FIGURES: Readonly<Record<keyof StatisticsBlocks['repeatCases']['6m'], FigureKind>> = {
  eligible: 'count',
  repeated: 'count',
  share: 'share',
};

/** The vocabulary whose codes a breakdown lists, by `block.metric`. */
export const BREAKDOWN_VOCABULARY: Readonly<Record<string, keyof VocabularyLabels>> = {
  'referrals.bySource': 'referralSource',
  'referrals.byTargetGroup': 'targetGroup',
  'referrals.byHousingSituation': 'housingSituation',
  'referrals.byThreatCause': 'threatCause',
  'decisions.rejectedByReason': 'rejectionReason',
  'visits.byConcern': 'visitConcern',
  'mediations.byKind': 'mediationKind',
  'mediations.byInstitutionKind': 'institutionKind',
  'housingSecured.byOutcome': 'housingOutcome',
  'extensions.byReason': 'extensionReason',
  'closures.byReason': 'closingReason',
  'closures.byHousingAtClose': 'housingAtClose',
  'helpPlans.goalsByArea': 'goalArea',
  'helpPlans.goalsByActor': 'goalActor',
  'helpPlans.settledByStatus': 'goalStatus',
  'helpPlans.settledByArea': 'goalArea',
  'helpPlans.settledByActor': 'goalActor',
  'helpPlans.achievedByArea': 'goalArea',
  'helpPlans.achievedByActor': 'goalActor',
  'helpPlans.achievedShareByArea': 'goalArea',
  'helpPlans.achievedShareByActor': 'goalActor',
  'helpPlans.viewAtLastReview': 'householdView',
};

type Loose = Readonly<Record<string, unknown>>;
const field = (blocks: StatisticsBlocks, block: BlockName, ...path: string[]): unknown =>
  path.reduce<unknown>((value, key) => (value as Loose | undefined)?.[key], blocks[block]);
const figure = (value: unknown): Figure => (typeof value === 'number' || value === '<5' || value === 'suppressed' ? value : null);

/** Codes of a breakdown in both years: the current year's order, then codes only the previous year has. */
const codesOf = (current: unknown, previous: unknown): string[] => [
  ...new Set([...Object.keys((current as Loose) ?? {}), ...Object.keys((previous as Loose) ?? {})]),
];

const blockRows = (scope: Scope, block: BlockName, current: StatisticsBlocks, previous: StatisticsBlocks): ReportRow[] =>
  Object.entries(LAYOUT[block] as Readonly<Record<string, FieldLayout>>).flatMap(([metric, layout]): ReportRow[] => {
    const base = { scope, block, metric };
    if (layout === 'window') {
      return Object.entries(WINDOW_FIGURES).map(([inner, kind]) => ({
        scope,
        block,
        metric: inner,
        code: metric,
        kind,
        current: figure(field(current, block, metric, inner)),
        previous: figure(field(previous, block, metric, inner)),
      }));
    }
    if (layout === 'breakdown') {
      const cells = [field(current, block, metric), field(previous, block, metric)] as const;
      // A code counted in only one year (e.g. new to this version) had no referrals in the other: 0.
      return codesOf(...cells).map((code) => ({
        ...base,
        code,
        kind: 'count',
        current: figure(field(current, block, metric, code) ?? 0),
        previous: figure(field(previous, block, metric, code) ?? 0),
      }));
    }
    if (layout === 'shares') {
      const cells = [field(current, block, metric), field(previous, block, metric)] as const;
      // a code missing in one year has no share there (null), unlike a count
      return codesOf(...cells).map((code) => ({
        ...base,
        code,
        kind: 'share',
        current: figure(field(current, block, metric, code)),
        previous: figure(field(previous, block, metric, code)),
      }));
    }
    return [
      {
        ...base,
        code: null,
        kind: layout,
        current: figure(field(current, block, metric)),
        previous: figure(field(previous, block, metric)),
      },
    ];
  });

const scopeRows = (scope: Scope, current: StatisticsBlocks, previous: StatisticsBlocks): ReportRow[] =>
  METRICS.flatMap(({ block }) => blockRows(scope, block, current, previous));

const blocksOf = ({ period: _period, asOf: _asOf, withChildren: _children, ...blocks }: Statistics): StatisticsBlocks => blocks;

/** Every figure of the report, all households first, then households with children. */
export const reportRows = ({ current, previous }: PeriodicReport): ReportRow[] => [
  ...scopeRows('all', blocksOf(current), blocksOf(previous)),
  ...scopeRows('withChildren', current.withChildren, previous.withChildren),
];

const own = (labels: object, key: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(labels, key) ? (labels as Readonly<Record<string, string>>)[key] : undefined;

/**
 * The label of a breakdown code; the cell of an optional field left empty reads "keine Angabe"
 * (it is no code of the vocabulary); an unknown code is shown as itself (and escaped by the renderer).
 */
export const codeLabel = (labels: ReportLabels, block: BlockName, metric: string, code: string): string => {
  const vocabulary = BREAKDOWN_VOCABULARY[`${block}.${metric}`];
  return (vocabulary && own(labels.codes[vocabulary], code)) ?? (code === NOT_RECORDED ? labels.texts.notRecorded : code);
};

export const metricLabel = (labels: ReportLabels, block: BlockName, metric: string): string => own(labels.metrics[block], metric) ?? metric;

/** The row's own label, without block or scope: "Zugänge nach Zugangsweg: Jobcenter". */
export const rowLabel = (labels: ReportLabels, row: ReportRow): string => {
  if (row.block === 'repeatCases' && row.code !== null) {
    return `${metricLabel(labels, row.block, row.code)}: ${own(labels.repeatFigures, row.metric) ?? row.metric}`;
  }
  const metric = metricLabel(labels, row.block, row.metric);
  return row.code === null ? metric : `${metric}: ${codeLabel(labels, row.block, row.metric, row.code)}`;
};

/** The label with block and scope, for a reader of the long format. */
export const fullRowLabel = (labels: ReportLabels, row: ReportRow): string =>
  [row.scope === 'withChildren' ? labels.texts.withChildren : null, labels.blocks[row.block], rowLabel(labels, row)]
    .filter((part) => part !== null)
    .join(' – ');
