import { annualReport, reportDueOn, windowCompleteOn } from './annual-report';
import { reportRows } from './rows';
import { AS_OF, GENERATED_AT, reportFacts, YEAR } from './testing';

const report = annualReport(reportFacts(), YEAR, AS_OF, GENERATED_AT);

describe('annualReport: the year and the previous year, anonymised, as known at asOf', () => {
  it('keeps year, asOf and generation time; each year covers its calendar year', () => {
    expect(report).toMatchObject({ year: 2024, asOf: AS_OF, generatedAt: GENERATED_AT });
    expect(report.current.period).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(report.previous.period).toEqual({ from: '2023-01-01', to: '2023-12-31' });
    expect(report.current.asOf).toBe(AS_OF);
  });

  it('computes the year: referrals by source with primary and secondary suppression, decisions', () => {
    // jobcenter 7, self 2 ("<5"), social_office 5 + the repeat referral = 6: the next smallest, suppressed
    expect(report.current.referrals).toMatchObject({
      total: 15,
      withChildren: 8,
      bySource: { jobcenter: 7, self: '<5', social_office: 'suppressed', parish: 0 },
    });
    // days to decision: five times 5, seven times 10 → the 6th and 7th of 12 are 10
    expect(report.current.decisions).toMatchObject({ approved: 7, rejected: 5, medianDaysToDecision: 10 });
    expect(report.current.cases).toEqual({ activeAtStart: 0, activeAtEnd: 7, served: 7 });
    expect(report.current.withChildren.referrals.total).toBe(8);
  });

  it('computes the previous year with the same asOf: closures and repeat cases', () => {
    // 11 Mar → 30 Sep 2023: 20 + 30 + 31 + 30 + 31 + 31 + 30 = 203 days
    expect(report.previous.referrals.total).toBe(6);
    expect(report.previous.closures).toMatchObject({ total: 6, medianDaysApprovalToClose: 203, housingSecuredRate: 1 });
    expect(report.previous.closures.byReason).toMatchObject({ goal_achieved: 6, other: 0 });
    // one of six households referred again within 6 months: "<5", and so no share
    expect(report.previous.repeatCases['6m']).toEqual({ eligible: 6, repeated: '<5', share: null });
    // 24 months after 30 Sep 2023 is after asOf: not eligible yet
    expect(report.previous.repeatCases['24m']).toEqual({ eligible: 0, repeated: 0, share: null });
  });

  it('refuses a malformed year or generation time', () => {
    expect(() => annualReport(reportFacts(), 24.5, AS_OF, GENERATED_AT)).toThrow(RangeError);
    expect(() => annualReport(reportFacts(), YEAR, AS_OF, 'yesterday')).toThrow(RangeError);
    expect(() => annualReport(reportFacts(), YEAR, 'now', GENERATED_AT)).toThrow(RangeError);
  });
});

describe('report dates', () => {
  it('the report is due on 30 April of the following year', () => {
    expect(reportDueOn(2024)).toBe('2025-04-30');
  });

  it('a repeat window is complete once it has ended for a case closed on 31 December', () => {
    expect(windowCompleteOn(2024, '6m', AS_OF)).toBe('2025-06-30');
    expect(windowCompleteOn(2024, '24m', AS_OF)).toBe('2026-12-31');
    expect(windowCompleteOn(2023, '12m', AS_OF)).toBeNull();
    expect(windowCompleteOn(2023, '24m', AS_OF)).toBe('2025-12-31');
  });
});

describe('reportRows: the long format behind the tables and the CSV', () => {
  const rows = reportRows(report);

  it('lists every block in both scopes, single figures without code, breakdowns and windows with one', () => {
    const blocks = (scope: string) => [...new Set(rows.filter((r) => r.scope === scope).map((r) => r.block))];
    const expected = [
      'referrals',
      'decisions',
      'cases',
      'visits',
      'mediations',
      'housingSecured',
      'extensions',
      'closures',
      'repeatCases',
      'helpPlans',
    ];
    expect(blocks('all')).toEqual(expected);
    expect(blocks('withChildren')).toEqual(expected);
    expect(rows).toContainEqual({ scope: 'all', block: 'referrals', metric: 'total', code: null, kind: 'count', current: 15, previous: 6 });
    expect(rows).toContainEqual({
      scope: 'all',
      block: 'referrals',
      metric: 'bySource',
      code: 'self',
      kind: 'count',
      current: '<5',
      previous: 0,
    });
    expect(rows).toContainEqual({
      scope: 'all',
      block: 'repeatCases',
      metric: 'share',
      code: '6m',
      kind: 'share',
      current: null,
      previous: null,
    });
    expect(rows).toContainEqual({
      scope: 'all',
      block: 'closures',
      metric: 'medianDaysApprovalToClose',
      code: null,
      kind: 'median',
      current: null,
      previous: 203,
    });
  });
});
