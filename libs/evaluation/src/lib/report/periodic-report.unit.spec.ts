import { computeStatistics } from '../statistics';
import { annualReport } from './annual-report';
import { reportHeadings } from './headings';
import { LABELS_DE } from './labels.de';
import { calendarQuarterOf, calendarYearOf, comparisonPeriod, periodicReport } from './periodic-report';
import { renderAnnualReportCsv } from './csv';
import { renderAnnualReportHtml } from './html';
import { AS_OF, GENERATED_AT, reportFacts, YEAR } from './testing';

const facts = reportFacts();

describe('comparisonPeriod: what a report compares with', () => {
  it.each([
    ['a calendar year: the year before', '2026-01-01', '2026-12-31', '2025-01-01', '2025-12-31'],
    ['a quarter: the same quarter a year earlier (no seasonal effect)', '2026-01-01', '2026-03-31', '2025-01-01', '2025-03-31'],
    ['the fourth quarter', '2025-10-01', '2025-12-31', '2024-10-01', '2024-12-31'],
    ['a month: the same month a year earlier', '2024-02-01', '2024-02-29', '2023-02-01', '2023-02-28'],
    ['twelve months across a year end: adjacent', '2025-07-01', '2026-06-30', '2024-07-01', '2025-06-30'],
    ['any other period: as many days just before', '2026-01-10', '2026-01-19', '2025-12-31', '2026-01-09'],
    ['a single day: the day before', '2026-03-01', '2026-03-01', '2026-02-28', '2026-02-28'],
  ])('%s', (_what, from, to, comparisonFrom, comparisonTo) => {
    expect(comparisonPeriod({ from, to })).toEqual({ from: comparisonFrom, to: comparisonTo });
  });

  it('refuses a period that ends before it starts', () => {
    expect(() => comparisonPeriod({ from: '2026-02-01', to: '2026-01-31' })).toThrow(RangeError);
  });

  it('knows calendar years and quarters exactly', () => {
    expect(calendarYearOf({ from: '2026-01-01', to: '2026-12-31' })).toBe(2026);
    expect(calendarYearOf({ from: '2026-01-01', to: '2026-12-30' })).toBeNull();
    expect(calendarQuarterOf({ from: '2026-04-01', to: '2026-06-30' })).toEqual({ year: 2026, quarter: 2 });
    expect(calendarQuarterOf({ from: '2026-02-01', to: '2026-04-30' })).toBeNull();
    expect(calendarQuarterOf({ from: '2026-01-01', to: '2026-03-30' })).toBeNull();
  });
});

describe('periodicReport: a period beside its comparison period, one publication', () => {
  it('the annual report is the case of a calendar year and the year before', () => {
    const periodic = periodicReport(
      facts,
      { from: '2024-01-01', to: '2024-12-31' },
      { from: '2023-01-01', to: '2023-12-31' },
      AS_OF,
      GENERATED_AT,
    );
    expect(annualReport(facts, YEAR, AS_OF, GENERATED_AT)).toEqual({ year: YEAR, ...periodic });
  });

  const quarter = periodicReport(
    facts,
    { from: '2024-01-01', to: '2024-03-31' },
    comparisonPeriod({ from: '2024-01-01', to: '2024-03-31' }),
    AS_OF,
    GENERATED_AT,
  );

  it('covers both periods as known at asOf, and publishes only true values', () => {
    expect(quarter).toMatchObject({ asOf: AS_OF, generatedAt: GENERATED_AT });
    expect(quarter.current.period).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(quarter.previous.period).toEqual({ from: '2023-01-01', to: '2023-03-31' });
    const raw = computeStatistics(facts, { from: '2024-01-01', to: '2024-03-31', asOf: AS_OF });
    // January–March 2024: the repeat referral, 7 jobcenter referrals (approved), 2 self-referrals
    expect(raw.referrals.total).toBe(10);
    expect(quarter.current.referrals.bySource).toMatchObject({ jobcenter: 7, self: '<5' });
    expect(quarter.current.decisions.approved).toBe(7);
    expect(quarter.previous.referrals.total).toBe(6);
    // every published count is the true one; every "<5" is 1–4
    const counts = (value: unknown, path = ''): [string, unknown][] =>
      typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([key, inner]) => counts(inner, `${path}.${key}`))
        : [[path, value]];
    const truth = new Map(counts(raw));
    for (const [path, published] of counts(quarter.current)) {
      if (typeof published === 'number' && typeof truth.get(path) === 'number') expect([path, published]).toEqual([path, truth.get(path)]);
      if (published === '<5') expect(truth.get(path)).toBeGreaterThanOrEqual(1);
      if (published === '<5') expect(truth.get(path)).toBeLessThanOrEqual(4);
    }
  });

  it('is titled by its period in every format', () => {
    expect(reportHeadings(quarter, LABELS_DE)).toEqual({
      title: 'Bericht 1. Quartal 2024',
      current: '1. Quartal 2024',
      comparison: '1. Quartal 2023',
      overviewChart: 'Kennzahlen 1. Quartal 2024 im Vergleich zum Vorjahresquartal',
      dueOn: null,
    });
    const days = periodicReport(
      facts,
      { from: '2024-01-10', to: '2024-02-15' },
      comparisonPeriod({ from: '2024-01-10', to: '2024-02-15' }),
      AS_OF,
      GENERATED_AT,
    );
    expect(reportHeadings(days, LABELS_DE)).toMatchObject({
      title: 'Bericht 10.01.2024–15.02.2024',
      comparison: '04.12.2023–09.01.2024',
      overviewChart: 'Kennzahlen 10.01.2024–15.02.2024 im Vergleich zum Zeitraum 04.12.2023–09.01.2024',
    });
    const page = renderAnnualReportHtml(quarter);
    expect(page).toContain('<h1>Bericht 1. Quartal 2024</h1>');
    expect(page).toContain('<th scope="col" class="num">1. Quartal 2023</th>');
    expect(page).not.toContain('Vorzulegen bis');
    expect(renderAnnualReportCsv(quarter).split('\r\n')[0]).toBe(
      '\uFEFFblock,metric,code,label,2024-01-01/2024-03-31,2023-01-01/2023-03-31',
    );
    expect(renderAnnualReportCsv(annualReport(facts, YEAR, AS_OF, GENERATED_AT)).split('\r\n')[0]).toBe(
      '\uFEFFblock,metric,code,label,2024,2023',
    );
  });

  it('refuses a malformed period, comparison or generation time', () => {
    const period = { from: '2024-01-01', to: '2024-03-31' };
    expect(() => periodicReport(facts, { from: '2024-04-01', to: '2024-03-31' }, period, AS_OF, GENERATED_AT)).toThrow(RangeError);
    expect(() => periodicReport(facts, period, { from: '2023-13-01', to: '2023-12-31' }, AS_OF, GENERATED_AT)).toThrow(RangeError);
    expect(() => periodicReport(facts, period, comparisonPeriod(period), AS_OF, 'later')).toThrow(RangeError);
  });
});
