import type { CalendarDate } from '../dates';

/** The fixed sections of the provider's own text (DOMAIN.md "The annual report"), in the report's order. */
export const REPORT_SECTIONS = ['focus_and_goals', 'current_development', 'future_development', 'cooperation'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];
export const isReportSection = (value: unknown): value is ReportSection =>
  typeof value === 'string' && (REPORT_SECTIONS as readonly string[]).includes(value);

/**
 * One draft of one section. `revision` is the section's revision after this draft (1 for its first
 * draft; a section never drafted is at 0). The text is the provider's published prose, checked
 * against the households' names and addresses before it is saved: it carries no personal part.
 */
export interface ReportTextDrafted {
  readonly type: 'ReportTextDrafted';
  readonly data: { readonly year: number; readonly section: ReportSection; readonly revision: number; readonly text: string };
}

/**
 * The year's report is final. `report` is the published figures' model exactly as it went out
 * (already anonymised and audited; opaque to the domain), `figuresDigest` the SHA-256 of its
 * canonical JSON: every later answer for the year is rendered from this, never recomputed.
 */
export interface AnnualReportFinalised {
  readonly type: 'AnnualReportFinalised';
  readonly data: {
    readonly year: number;
    readonly asOf: string;
    readonly finalisedAt: string;
    readonly finalisedOn: CalendarDate;
    readonly figuresDigest: string;
    readonly report: unknown;
  };
}

export type ReportEvent = ReportTextDrafted | AnnualReportFinalised;

/** Every report event type, once: a type added to ReportEvent without an entry here does not compile. */
const REPORT_EVENTS = { ReportTextDrafted: true, AnnualReportFinalised: true } as const satisfies {
  readonly [Type in ReportEvent['type']]: true;
};
export const REPORT_EVENT_TYPES: ReadonlySet<ReportEvent['type']> = new Set(Object.keys(REPORT_EVENTS) as ReportEvent['type'][]);
export const isReportEventType = (type: string): type is ReportEvent['type'] => Object.hasOwn(REPORT_EVENTS, type);
