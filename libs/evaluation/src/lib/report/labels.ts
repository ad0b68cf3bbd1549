import type {
  ActivityKind,
  ClosingReason,
  District,
  ExistingAid,
  ExtensionReason,
  GoalActor,
  GoalArea,
  GoalStatus,
  HouseholdGoalView,
  HousingAtClose,
  HousingOutcome,
  HousingSituation,
  InstitutionKind,
  MediationKind,
  ReferralSource,
  RejectionReason,
  TargetGroup,
  ThreatCause,
  VisitConcern,
} from '@wih/domain';
import type { StatisticsBlocks } from '../anonymise';
import type { CaseExportRow } from '../case-export';
import type { BlockName } from '../metrics/registry';
import type { RepeatWindow } from '../metrics/repeat-cases';

/** A label for every code of one enumeration: a missing code is a compile error. */
export type CodeLabels<Code extends string> = { readonly [C in Code]: string };

/** The domain vocabulary's codes, by enumeration. */
export interface VocabularyLabels {
  readonly referralSource: CodeLabels<ReferralSource>;
  readonly targetGroup: CodeLabels<TargetGroup>;
  readonly housingSituation: CodeLabels<HousingSituation>;
  readonly threatCause: CodeLabels<ThreatCause>;
  readonly existingAid: CodeLabels<ExistingAid>;
  readonly visitConcern: CodeLabels<VisitConcern>;
  readonly mediationKind: CodeLabels<MediationKind>;
  readonly institutionKind: CodeLabels<InstitutionKind>;
  readonly rejectionReason: CodeLabels<RejectionReason>;
  readonly housingOutcome: CodeLabels<HousingOutcome>;
  readonly extensionReason: CodeLabels<ExtensionReason>;
  readonly closingReason: CodeLabels<ClosingReason>;
  readonly housingAtClose: CodeLabels<HousingAtClose>;
  readonly activityKind: CodeLabels<ActivityKind>;
  readonly district: CodeLabels<District>;
  readonly goalArea: CodeLabels<GoalArea>;
  readonly goalActor: CodeLabels<GoalActor>;
  readonly goalStatus: CodeLabels<GoalStatus>;
  readonly householdView: CodeLabels<HouseholdGoalView>;
}

/** Every figure of every block: adding a metric field without a label does not compile. */
export type MetricLabels = { readonly [B in BlockName]: { readonly [K in keyof StatisticsBlocks[B]]: string } };

/** How a report's period is named: a calendar year, a calendar quarter, or its dates (ISO). */
export type PeriodName =
  | { readonly kind: 'year'; readonly year: number }
  | { readonly kind: 'quarter'; readonly year: number; readonly quarter: number }
  | { readonly kind: 'dates'; readonly from: string; readonly to: string };

/** The texts of the report page; functions where a value is part of the sentence. */
export interface ReportTexts {
  readonly title: (period: PeriodName) => string;
  readonly programme: string;
  /** The period in a column head or legend: "2024", "1. Quartal 2026", "01.01.2026–15.02.2026". */
  readonly periodName: (period: PeriodName) => string;
  /** The comparison period's column head: "Vorjahr 2023" for the year before. */
  readonly comparison: (current: PeriodName, comparison: PeriodName) => string;
  readonly period: (from: string, to: string) => string;
  readonly asOf: (when: string) => string;
  readonly generatedAt: (when: string) => string;
  readonly dueBy: (date: string) => string;
  readonly anonymisationHeading: string;
  readonly anonymisation: readonly string[];
  readonly allCases: string;
  readonly withChildren: string;
  readonly withChildrenIntro: string;
  readonly figure: string;
  readonly previousYear: (year: number) => string;
  readonly change: string;
  readonly changeUnavailable: string;
  readonly notPublished: string;
  readonly notPublishedTitle: string;
  readonly lessThanFive: string;
  readonly lessThanFiveTitle: string;
  readonly suppressed: string;
  readonly suppressedTitle: string;
  readonly percentagePoints: string;
  readonly window: string;
  readonly repeatIntro: string;
  readonly note: string;
  readonly windowIncomplete: (period: string, completeOn: string) => string;
  readonly windowComplete: string;
  readonly overviewChart: (current: PeriodName, comparison: PeriodName) => string;
  readonly breakdownChart: (what: string, period: string) => string;
  readonly chartAlternative: string;
  /** The page footer of the PDF. */
  readonly pageOf: (page: number, pages: number) => string;
  /** The cell of an optional field left empty (a mediation without institution kind). */
  readonly notRecorded: string;
  /** Goal 3 of the concept: housing at closing, all households beside those with children. */
  readonly goalThreeHeading: string;
  readonly goalThreeIntro: string;
  /** Titled by the period's name ("2026", "1. Quartal 2026"). */
  readonly goalThreeChart: (period: string) => string;
}

/** The block of activities beyond single cases (partners are labelled as referral sources). */
export interface ActivityLabels {
  readonly heading: string;
  readonly intro: string;
  readonly total: string;
  readonly hours: string;
  readonly participants: string;
  readonly byKind: string;
  readonly byPartner: string;
  readonly byDistrict: string;
  /** The two figures of a breakdown cell. */
  readonly count: string;
  readonly cellHours: string;
}

/** Everything a reader sees, in one language; a translation is one more object of this type. */
export interface ReportLabels {
  /** BCP 47 tag of the language, for `lang` and number formatting. */
  readonly lang: string;
  readonly blocks: { readonly [B in BlockName]: string };
  readonly metrics: MetricLabels;
  /** The figures of one repeat-case window (eligible, repeated, share). */
  readonly repeatFigures: { readonly [K in keyof StatisticsBlocks['repeatCases'][RepeatWindow]]: string };
  readonly codes: VocabularyLabels;
  readonly caseExportColumns: { readonly [K in keyof CaseExportRow]: string };
  readonly activities: ActivityLabels;
  readonly texts: ReportTexts;
}
