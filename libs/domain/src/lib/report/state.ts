import { unknownEvent } from '../exhaustive';
import { REPORT_SECTIONS, type AnnualReportFinalised, type ReportEvent, type ReportSection } from './events';

export interface SectionText {
  readonly text: string;
  /** 0 while the section was never drafted. */
  readonly revision: number;
}

export interface ReportState {
  readonly sections: Readonly<Record<ReportSection, SectionText>>;
  readonly finalised: AnnualReportFinalised['data'] | null;
}

export const initialReportState = (): ReportState => ({
  sections: Object.fromEntries(REPORT_SECTIONS.map((s) => [s, { text: '', revision: 0 }])) as Record<ReportSection, SectionText>,
  finalised: null,
});

export const evolveReport = (state: ReportState, event: ReportEvent): ReportState => {
  switch (event.type) {
    case 'ReportTextDrafted':
      return { ...state, sections: { ...state.sections, [event.data.section]: { text: event.data.text, revision: event.data.revision } } };
    case 'AnnualReportFinalised':
      return { ...state, finalised: event.data };
    default:
      return unknownEvent(event);
  }
};
