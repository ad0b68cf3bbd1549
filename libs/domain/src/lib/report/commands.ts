import type { CommandContext } from '../decider';
import type { ReportSection } from './events';

/** DOMAIN.md: evaluators draft the text and one of them finalises the report. */
export const REPORT_ROLES = ['evaluator'] as const;

/** A section's text is at most this many characters (Unicode code points of its NFC form): about four printed pages. */
export const REPORT_TEXT_MAX_LENGTH = 10_000;

/** Drafts one section. `expectedRevision` (If-Match) is the section's revision the writer edited. */
export interface DraftReportText {
  readonly type: 'DraftReportText';
  readonly year: number;
  readonly section: ReportSection;
  readonly text: string;
  readonly expectedRevision?: number;
  readonly context: CommandContext;
}

/** What finalising needs before the figures are computed: the rules are checked on this first. */
export interface FinalisationRequest {
  readonly year: number;
  /** An ISO 8601 instant (the edge resolves a date-only asOf to the end of that day in Cologne). */
  readonly asOf: string;
  readonly context: CommandContext;
}

/** Freezes the year: the figures as published at asOf, and their digest. */
export interface FinaliseAnnualReport extends FinalisationRequest {
  readonly type: 'FinaliseAnnualReport';
  readonly figures: { readonly digest: string; readonly report: unknown };
}

export type ReportCommand = DraftReportText | FinaliseAnnualReport;
