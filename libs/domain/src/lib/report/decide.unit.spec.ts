import type { CommandContext } from '../decider';
import { spec } from '../testing/decider-specification';
import { REPORT_TEXT_MAX_LENGTH, type DraftReportText, type FinaliseAnnualReport } from './commands';
import { reportDecider } from './decide';
import type { ReportEvent } from './events';

const context = (role: CommandContext['actor']['role'] = 'evaluator', now = '2026-03-10T09:00:00.000Z'): CommandContext => ({
  actor: { userId: 'eva', role },
  now,
  today: now.slice(0, 10),
});

const draft = (overrides: Partial<DraftReportText> = {}): DraftReportText => ({
  type: 'DraftReportText',
  year: 2025,
  section: 'focus_and_goals',
  text: 'Schwerpunkt war die Nachsorge.',
  context: context(),
  ...overrides,
});

const finalise = (overrides: Partial<FinaliseAnnualReport> = {}): FinaliseAnnualReport => ({
  type: 'FinaliseAnnualReport',
  year: 2025,
  asOf: '2026-03-01T00:00:00.000Z',
  figures: { digest: 'abc', report: { year: 2025 } },
  context: context(),
  ...overrides,
});

const drafted = (revision: number, text = `Entwurf ${revision}`): ReportEvent => ({
  type: 'ReportTextDrafted',
  data: { year: 2025, section: 'focus_and_goals', revision, text },
});
const finalised: ReportEvent = {
  type: 'AnnualReportFinalised',
  data: {
    year: 2025,
    asOf: '2026-03-01T00:00:00.000Z',
    finalisedAt: '2026-03-02T08:00:00.000Z',
    finalisedOn: '2026-03-02',
    figuresDigest: 'abc',
    report: {},
  },
};

describe('the annual report text', () => {
  it('a first draft of a section is its revision 1', () => {
    spec(reportDecider)
      .given([])
      .when(draft())
      .then([
        {
          type: 'ReportTextDrafted',
          data: { year: 2025, section: 'focus_and_goals', revision: 1, text: 'Schwerpunkt war die Nachsorge.' },
        },
      ]);
  });

  it('each section counts its own revisions', () => {
    spec(reportDecider)
      .given([drafted(1), drafted(2)])
      .when(draft({ section: 'cooperation', expectedRevision: 0, text: 'Kooperationen' }))
      .then([{ type: 'ReportTextDrafted', data: { year: 2025, section: 'cooperation', revision: 1, text: 'Kooperationen' } }]);
  });

  it('a draft with the current revision as If-Match is accepted', () => {
    spec(reportDecider)
      .given([drafted(1)])
      .when(draft({ expectedRevision: 1, text: 'neu' }))
      .then([{ type: 'ReportTextDrafted', data: { year: 2025, section: 'focus_and_goals', revision: 2, text: 'neu' } }]);
  });

  it('a draft on a revision that is no longer current is stale', () => {
    spec(reportDecider)
      .given([drafted(1), drafted(2)])
      .when(draft({ expectedRevision: 1 }))
      .thenThrows('stale', 'stale-revision');
  });

  it('an empty text is allowed: it clears the section', () => {
    spec(reportDecider)
      .given([drafted(1)])
      .when(draft({ text: '' }))
      .then([{ type: 'ReportTextDrafted', data: { year: 2025, section: 'focus_and_goals', revision: 2, text: '' } }]);
  });

  it('a text of the limit is accepted, one character more is refused; decomposed umlauts count once', () => {
    const composed = 'ü'.repeat(REPORT_TEXT_MAX_LENGTH);
    spec(reportDecider)
      .given([])
      .when(draft({ text: composed.normalize('NFD') }))
      .then([
        { type: 'ReportTextDrafted', data: { year: 2025, section: 'focus_and_goals', revision: 1, text: composed.normalize('NFD') } },
      ]);
    spec(reportDecider)
      .given([])
      .when(draft({ text: `${composed}x` }))
      .thenThrows('invalid', 'text-too-long');
  });

  it('only an evaluator drafts', () => {
    spec(reportDecider)
      .given([])
      .when(draft({ context: context('fachstelle') }))
      .thenThrows('forbidden', 'role-not-allowed');
  });

  it('a year that has not begun has no text yet', () => {
    spec(reportDecider)
      .given([])
      .when(draft({ year: 2027 }))
      .thenThrows('conflict', 'year-not-begun');
  });

  it('after finalisation no section is drafted again', () => {
    spec(reportDecider)
      .given([drafted(1), finalised])
      .when(draft({ expectedRevision: 1 }))
      .thenThrows('conflict', 'report-finalised');
  });
});

describe('finalising the annual report', () => {
  it('freezes the figures with their digest, as of asOf', () => {
    spec(reportDecider)
      .given([drafted(1)])
      .when(finalise())
      .then([
        {
          type: 'AnnualReportFinalised',
          data: {
            year: 2025,
            asOf: '2026-03-01T00:00:00.000Z',
            finalisedAt: '2026-03-10T09:00:00.000Z',
            finalisedOn: '2026-03-10',
            figuresDigest: 'abc',
            report: { year: 2025 },
          },
        },
      ]);
  });

  it('is done once', () => {
    spec(reportDecider).given([finalised]).when(finalise()).thenThrows('conflict', 'report-finalised');
  });

  it('only by an evaluator', () => {
    spec(reportDecider)
      .given([])
      .when(finalise({ context: context('admin') }))
      .thenThrows('forbidden', 'role-not-allowed');
  });

  it('asOf is not in the future', () => {
    spec(reportDecider)
      .given([])
      .when(finalise({ asOf: '2026-03-10T09:00:00.001Z' }))
      .thenThrows('conflict', 'date-in-future');
  });

  it('asOf at the last instant of the year (Cologne) is the end of the year; one millisecond earlier is not', () => {
    // 31 December 2025, 23:59:59.999 in Cologne is 22:59:59.999 UTC (winter time).
    const endOfYear = '2025-12-31T22:59:59.999Z';
    spec(reportDecider)
      .given([])
      .when(finalise({ asOf: endOfYear }))
      .then([
        {
          type: 'AnnualReportFinalised',
          data: {
            year: 2025,
            asOf: endOfYear,
            finalisedAt: '2026-03-10T09:00:00.000Z',
            finalisedOn: '2026-03-10',
            figuresDigest: 'abc',
            report: { year: 2025 },
          },
        },
      ]);
    spec(reportDecider)
      .given([])
      .when(finalise({ asOf: '2025-12-31T22:59:59.998Z' }))
      .thenThrows('conflict', 'year-not-ended');
    // 23:30 UTC on 31 December is already 1 January in Cologne.
    spec(reportDecider)
      .given([])
      .when(finalise({ year: 2026, asOf: '2025-12-31T23:30:00.000Z' }))
      .thenThrows('conflict', 'year-not-ended');
  });
});
