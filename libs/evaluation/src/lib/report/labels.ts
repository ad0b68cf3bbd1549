import type {
  ClosingReason,
  ExistingAid,
  ExtensionReason,
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
}

/** Every figure of every block: adding a metric field without a label does not compile. */
export type MetricLabels = { readonly [B in BlockName]: { readonly [K in keyof StatisticsBlocks[B]]: string } };

/** The texts of the report page; functions where a value is part of the sentence. */
export interface ReportTexts {
  readonly title: (year: number) => string;
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
  readonly windowIncomplete: (year: number, completeOn: string) => string;
  readonly windowComplete: string;
  readonly overviewChart: (year: number) => string;
  readonly breakdownChart: (what: string, year: number) => string;
  readonly chartAlternative: string;
  readonly legendYear: (year: number) => string;
  /** The cell of an optional field left empty (a mediation without institution kind). */
  readonly notRecorded: string;
  /** Goal 3 of the concept: housing at closing, all households beside those with children. */
  readonly goalThreeHeading: string;
  readonly goalThreeIntro: string;
  readonly goalThreeChart: (year: number) => string;
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
  readonly texts: ReportTexts;
}
