import type { components } from '../api/schema';

/**
 * The annual report's answers as the dashboard and the editor read them: the generated schemas of
 * docs/openapi.json (`AnnualReport`, `ReportTextAnswerDto`, `ProblemDto.matches`), and where the
 * document is looser than the screens, one reading of it here (decision 0034).
 */
type Schemas = components['schemas'];
export type Count = Schemas['Count'];
export type Statistics = Schemas['Statistics'];
export type AnnualReport = Schemas['AnnualReport'];
export type ReportSection = Schemas['ReportTextAnswerDto']['section'];

/** DOMAIN.md's sections of the provider's text, in the report's order (the route's enum). */
export const REPORT_SECTIONS: readonly ReportSection[] = ['focus_and_goals', 'current_development', 'future_development', 'cooperation'];

export interface SectionText {
  text: string;
  /** The section's revision: If-Match of the next draft (0: never drafted). */
  revision: number;
}

/** The year's text alone (the editor's read): every section with its revision, and whether it is final. */
export type AnnualReportText = Schemas['AnnualReportText'];

/** A section of the report's text, from the whole report or from the text alone (revision 0: never drafted). */
export const sectionOf = (report: Pick<AnnualReport, 'text'>, section: ReportSection): SectionText => report.text[section];

/** 422 `personal-data-in-text`: the passages of the submitted text that name a household. */
export const matchesOf = (problem: Schemas['ProblemDto'] | null): string[] => problem?.matches ?? [];
