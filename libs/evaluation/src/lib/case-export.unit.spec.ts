import fc from 'fast-check';
import { addDays } from '@wih/domain';
import { days } from './calendar';
import { caseExport, caseExportRows, rowDateRanges, MIN_DATE_SPAN_DAYS, type CaseExportRow } from './case-export';
import { historiesArbitrary } from './disclosure/testing';
import { factsOf, log, referral } from './testing/history';

const REQUEST = { from: '2024-01-01', to: '2024-06-30', asOf: '2025-03-01T12:00:00.000Z' };
const PSEUDONYMS: Record<string, string> = { e1: 'P-3', e2: 'P-1', e4: 'P-2', e5: 'P-0' };
const pseudonym = (caseId: string): string => PSEUDONYMS[caseId] ?? `unexpected ${caseId}`;

const histories = [
  // received 10 Jan, approved 20 Jan (10 days), closed 1 Apr (12 + 29 + 31 = 72 days); the household is referred
  // again on 15 Sep 2024: within 6 months (window ends 1 Oct 2024); the 12-month window ends 1 Apr 2025, after asOf
  referral('e1', '2024-01-10', { householdId: 'h1', referralSource: 'jobcenter', targetGroup: 'committed_vacant', children: 2 })
    .approved('2024-01-20')
    .visit('2024-02-01')
    .mediated('2024-02-05')
    .visit('2024-03-01')
    .secured('2024-03-15', { outcome: 'own_tenancy_agreement' })
    .closed('2024-04-01', { reason: 'goal_achieved', housingAtClose: 'own_tenancy' }),
  referral('e1b', '2024-09-15', { householdId: 'h1', previousCaseId: 'e1' }), // after the period: no row
  // in help throughout the period without any event in it: served, so exported
  referral('e2', '2023-11-01', { householdId: 'h2', children: 0, previousCaseId: 'e0' }).approved('2023-11-10').visit('2023-12-01'),
  referral('e3', '2023-10-01', { householdId: 'h3' }).approved('2023-10-05').closed('2023-12-31'), // closed before: no row
  referral('e4', '2024-06-29', { householdId: 'h4', referralSource: 'self' }).rejected('2024-07-02', { reason: 'declined_by_household' }),
  referral('e5', '2024-06-30', { householdId: 'h5', targetGroup: 'prevention_aftercare' }), // undecided
  referral('e6', '2024-07-01', { householdId: 'h6' }), // after the period: no row
];
const rows = caseExportRows(factsOf(log(...histories), REQUEST.asOf), REQUEST, pseudonym);

const row = (fields: Partial<CaseExportRow>): CaseExportRow => ({
  pseudonym: '',
  referralSource: 'social_office',
  targetGroup: 'recommitted',
  withChildren: true,
  repeatReferral: false,
  decision: 'pending',
  rejectionReason: null,
  receivedMonth: '',
  weeksToDecision: null,
  weeksApprovalToClose: null,
  visits: 0,
  mediations: 0,
  housingOutcome: null,
  closingReason: null,
  housingAtClose: null,
  repeated6m: null,
  repeated12m: null,
  repeated24m: null,
  ...fields,
});

describe('caseExportRows: anonymised case-level rows for cases with activity in the period', () => {
  it('exports categories, months, durations, counts and repeat flags, sorted by pseudonym', () => {
    expect(rows).toEqual([
      row({ pseudonym: 'P-0', targetGroup: 'prevention_aftercare', receivedMonth: '2024-06' }),
      row({
        pseudonym: 'P-1',
        withChildren: false,
        repeatReferral: true,
        decision: 'approved',
        receivedMonth: '2023-11',
        weeksToDecision: 1,
        visits: 1, // 9 days
      }),
      row({
        pseudonym: 'P-2',
        referralSource: 'self',
        decision: 'rejected',
        rejectionReason: 'declined_by_household',
        receivedMonth: '2024-06',
        weeksToDecision: 0, // 3 days
      }),
      row({
        pseudonym: 'P-3',
        referralSource: 'jobcenter',
        targetGroup: 'committed_vacant',
        decision: 'approved',
        receivedMonth: '2024-01',
        weeksToDecision: 1,
        weeksApprovalToClose: 10, // 10 and 72 days
        visits: 2,
        mediations: 1,
        housingOutcome: 'own_tenancy_agreement',
        closingReason: 'goal_achieved',
        housingAtClose: 'own_tenancy',
        // the latest closing the row allows: 31 Jan + 13 + 76 days = 29 Apr 2024; its 6-month window ends 29 Oct 2024
        repeated6m: true,
        repeated12m: null,
        repeated24m: null,
      }),
    ]);
  });

  it('carries no ids, household ids or calendar days', () => {
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/"e\d|h\d|"h-/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('asks for one pseudonym per exported case', () => {
    const asked: string[] = [];
    caseExportRows(factsOf(log(...histories), REQUEST.asOf), REQUEST, (id) => (asked.push(id), id));
    expect(asked.sort()).toEqual(['e1', 'e2', 'e4', 'e5']);
  });
});

describe("no combination of one row's fields pins a business date to fewer than 7 days", () => {
  /** Every date the fields allow, by trying each receipt day and each length of each duration (no propagation). */
  const bruteForce = (row: Pick<CaseExportRow, 'receivedMonth' | 'weeksToDecision' | 'weeksApprovalToClose'>, asOfDate: string) => {
    const seen = { received: new Set<string>(), decided: new Set<string>(), closed: new Set<string>() };
    for (let day = 1; day <= 31; day++) {
      const r = `${row.receivedMonth}-${String(day).padStart(2, '0')}`;
      if (addDays(r, 0) !== r || r > asOfDate) continue;
      if (row.weeksToDecision === null) {
        seen.received.add(r);
        continue;
      }
      for (let d1 = 0; d1 < 7; d1++) {
        const a = addDays(r, 7 * row.weeksToDecision + d1);
        if (a > asOfDate) continue;
        if (row.weeksApprovalToClose === null) {
          seen.received.add(r);
          seen.decided.add(a);
          continue;
        }
        for (let d2 = 0; d2 < 7; d2++) {
          const c = addDays(a, 7 * row.weeksApprovalToClose + d2);
          if (c <= asOfDate) {
            seen.received.add(r);
            seen.decided.add(a);
            seen.closed.add(c);
          }
        }
      }
    }
    return seen;
  };
  const spanOf = (range: { from: string; to: string } | null) => (range ? days(range.from, range.to) + 1 : null);

  it('months for each date beside durations in days would have: received in January, approved in February after 1 day', () => {
    // the old row: receivedMonth 2024-01, approvedMonth 2024-02, daysToDecision 1 → 31 January and 1 February
    const candidates = Array.from({ length: 31 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`).filter((r) =>
      addDays(r, 1).startsWith('2024-02'),
    );
    expect(candidates).toEqual(['2024-01-31']);
    // the row today: receivedMonth 2024-01, weeksToDecision 0; the approval may be any of 1–7 January … 6 February
    const ranges = rowDateRanges({ receivedMonth: '2024-01', weeksToDecision: 0, weeksApprovalToClose: null }, '2025-01-01');
    expect(ranges.received).toEqual({ from: '2024-01-01', to: '2024-01-31' });
    expect(ranges.decided).toEqual({ from: '2024-01-01', to: '2024-02-06' });
  });

  it('the ranges are exactly what trying every date gives', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
        fc.integer({ min: 0, max: 200 }),
        (year, month, w1, w2, asOfAfter) => {
          const row = {
            receivedMonth: `${2020 + (year % 6)}-${String(month).padStart(2, '0')}`,
            weeksToDecision: w1,
            weeksApprovalToClose: w1 === null ? null : w2,
          };
          const asOfDate = addDays(`${row.receivedMonth}-01`, asOfAfter);
          const seen = bruteForce(row, asOfDate);
          if (seen.received.size === 0) return; // no date fits: such a row cannot exist
          const ranges = rowDateRanges(row, asOfDate);
          const sorted = (set: Set<string>) => [...set].sort();
          const span = (set: Set<string>) => (set.size ? { from: sorted(set)[0], to: sorted(set)[set.size - 1] } : null);
          expect(ranges.received).toEqual(span(seen.received));
          expect(ranges.decided).toEqual(span(seen.decided));
          expect(ranges.closed).toEqual(span(seen.closed));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every exported row of random histories leaves each date at least 7 days, also near asOf', () => {
    fc.assert(
      fc.property(historiesArbitrary(), fc.constantFrom('2023-03-02', '2024-06-30', '2025-08-04', '2026-12-31'), (histories, asOfDay) => {
        const asOf = `${asOfDay}T12:00:00.000Z`;
        const facts = factsOf(log(...histories), asOf);
        const { rows, withheld } = caseExport(facts, { from: '2023-01-01', to: '2025-12-31', asOf }, (id) => id);
        for (const row of rows) {
          const seen = bruteForce(row, asOfDay);
          for (const dates of Object.values(seen)) if (dates.size > 0) expect(dates.size).toBeGreaterThanOrEqual(MIN_DATE_SPAN_DAYS);
          const ranges = rowDateRanges(row, asOfDay);
          for (const range of [ranges.received, ranges.decided, ranges.closed])
            if (range) expect(spanOf(range)).toBeGreaterThanOrEqual(MIN_DATE_SPAN_DAYS);
        }
        expect(withheld).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });

  it('withholds a row whose month and asOf leave its receipt fewer than 7 days', () => {
    // received 2 March, asOf 3 March: receivedMonth 2023-03 alone says 1–3 March
    const asOf = '2023-03-03T12:00:00.000Z';
    const facts = factsOf(log(referral('n1', '2023-03-02'), referral('n2', '2023-02-10')), asOf);
    const result = caseExport(facts, { from: '2023-01-01', to: '2023-03-31', asOf }, (id) => id);
    expect(result.rows.map((r) => r.pseudonym)).toEqual(['n2']);
    expect(result.withheld).toBe(1);
  });

  it('says a repeat only once the window is complete for the latest closing the row allows', () => {
    // closed 1 Apr 2024 (72 days after approval 20 Jan): the row allows a closing up to 29 Apr 2024
    const e1 = rows.find((r) => r.pseudonym === 'P-3') as CaseExportRow;
    const ranges = rowDateRanges(e1, '2025-03-01');
    expect(ranges.closed).toEqual({ from: '2024-03-18', to: '2024-04-29' });
    // asOf 15 Oct 2024: the exact closing's window (1 Oct) is complete, the latest one's (29 Oct) is not
    const asOf = '2024-10-15T12:00:00.000Z';
    const early = caseExportRows(factsOf(log(...histories), asOf), { ...REQUEST, asOf }, pseudonym).find((r) => r.pseudonym === 'P-3');
    expect(early?.repeated6m).toBeNull();
  });
});
