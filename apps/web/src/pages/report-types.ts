import type { Count, Statistics } from '../api/types';

/**
 * The annual report's answers as the dashboard and the editor read them (docs/openapi.json:
 * `AnnualReport`, `ReportTextAnswerDto`, `ProblemDto.matches`). Kept here, in one place, so the
 * feature follows the contract when the API's types change.
 */
export type { Count, Statistics };

/** DOMAIN.md's sections of the provider's text, in the report's order. */
export const REPORT_SECTIONS = ['focus_and_goals', 'current_development', 'future_development', 'cooperation'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export interface SectionText {
  text: string;
  /** The section's revision: If-Match of the next draft (0: never drafted). */
  revision: number;
}

export interface AnnualReport {
  year: number;
  asOf: string;
  generatedAt: string;
  current: Statistics;
  previous: Statistics;
  text: Record<ReportSection, SectionText>;
  finalised: { asOf: string; finalisedAt: string; figuresDigest: string } | null;
}

export interface ReportTextAnswer {
  year: number;
  section: ReportSection;
  revision: number;
  position: string;
}

export interface FinalisationAnswer {
  year: number;
  asOf: string;
  figuresDigest: string;
  revision: number;
  position: string;
}

/** 422 `personal-data-in-text`: the passages of the submitted text that name a household. */
export const matchesOf = (problem: unknown): string[] => {
  const matches = (problem as { matches?: unknown } | null)?.matches;
  return Array.isArray(matches) ? matches.filter((m): m is string => typeof m === 'string') : [];
};
