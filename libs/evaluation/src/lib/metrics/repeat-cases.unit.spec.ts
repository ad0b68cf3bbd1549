import { computeStatistics } from '../statistics';
import { factsOf, log, referral, type CaseHistory } from '../testing/history';

const PERIOD = { from: '2024-01-01', to: '2024-12-31' };
const repeatCases = (asOf: string, ...histories: CaseHistory[]) =>
  computeStatistics(factsOf(log(...histories), asOf), { ...PERIOD, asOf }).repeatCases;

/** A case of household `hh` that had HousingSecured and closed on `closedOn`. */
const securedAndClosed = (caseId: string, hh: string, closedOn: string): CaseHistory =>
  referral(caseId, '2023-11-01', { householdId: hh })
    .approved('2023-11-10')
    .secured('2023-12-01')
    .closed(closedOn, { reason: 'goal_achieved', housingAtClose: 'own_tenancy' });
const again = (caseId: string, hh: string, receivedOn: string, recordedAt?: string): CaseHistory =>
  referral(caseId, receivedOn, { householdId: hh, previousCaseId: 'earlier', ...(recordedAt ? { recordedAt } : {}) });

describe('repeatCases: households referred again within 6, 12, 24 months of a closure after HousingSecured', () => {
  const histories = [
    // closed 31 Aug 2024: the 6-month window ends 28 Feb 2025 (day clamped), the 12-month one 31 Aug 2025
    securedAndClosed('A', 'hA', '2024-08-31'),
    again('A2', 'hA', '2025-02-28'), // on the window's last day: repeated
    securedAndClosed('B', 'hB', '2024-08-31'),
    again('B2', 'hB', '2025-03-01'), // one day after: not repeated
    securedAndClosed('C', 'hC', '2024-03-15'), // never referred again
    // no HousingSecured: not in the cohort, although referred again
    referral('D', '2024-01-05', { householdId: 'hD' }).approved('2024-01-10').closed('2024-08-31'),
    again('D2', 'hD', '2024-10-01'),
    securedAndClosed('E', 'hE', '2023-12-31'),
    again('E2', 'hE', '2024-02-01'), // closed before the period: not in the cohort
    securedAndClosed('F', 'hF', '2024-12-31'),
    again('F2', 'hF', '2025-01-10'), // window ends 30 Jun 2025: not yet eligible
    securedAndClosed('G', 'hG', '2024-01-31'),
    again('G2', 'hG', '2024-01-31'), // referred the day it closed: not "after"
  ];

  it('counts eligible (window complete at the date of asOf) and repeated cases per window', () => {
    // asOf date 1 Mar 2025. 6m window ends: A, B 28 Feb 2025; C 15 Sep 2024; G 31 Jul 2024 → eligible 4 (F ends 30 Jun 2025)
    //   repeated: A (28 Feb ∈ (31 Aug, 28 Feb]) → 1 of 4
    // 12m window ends: G 31 Jan 2025 → eligible 1, not repeated; A, B 31 Aug 2025, C 15 Mar 2025, F: not yet
    // 24m: no window complete
    expect(repeatCases('2025-03-01T12:00:00.000Z', ...histories)).toEqual({
      '6m': { eligible: 4, repeated: 1, share: { kind: 'share', numerator: 1, denominator: 4, value: 0.25 } },
      '12m': { eligible: 1, repeated: 0, share: { kind: 'share', numerator: 0, denominator: 1, value: 0 } },
      '24m': { eligible: 0, repeated: 0, share: { kind: 'share', numerator: 0, denominator: 0, value: null } },
    });
  });

  it('once the longer windows are complete, a referral after the 6-month window counts for 12 months', () => {
    // asOf date 1 Mar 2027: every window of A, B, C, F, G complete.
    // 6m: repeated A; F2 10 Jan 2025 ∈ (31 Dec 2024, 30 Jun 2025] → 2 of 5
    // 12m: A, B (1 Mar 2025 ≤ 31 Aug 2025), F → 3 of 5; 24m: the same 3 of 5
    const block = repeatCases('2027-03-01T12:00:00.000Z', ...histories);
    expect(block['6m']).toEqual({ eligible: 5, repeated: 2, share: { kind: 'share', numerator: 2, denominator: 5, value: 0.4 } });
    expect(block['12m']).toEqual({ eligible: 5, repeated: 3, share: { kind: 'share', numerator: 3, denominator: 5, value: 0.6 } });
    expect(block['24m']).toEqual(block['12m']);
  });

  it('the window edge is compared with the calendar date of asOf in Cologne', () => {
    // the repeat referral is entered at 00:15 in Cologne on 28 Feb, before either asOf below
    const onlyA = [securedAndClosed('A', 'hA', '2024-08-31'), again('A2', 'hA', '2025-02-28', '2025-02-27T23:15:00.000Z')];
    // 27 Feb 23:30 UTC is 28 Feb 00:30 in Cologne: the window (ends 28 Feb) is complete
    expect(repeatCases('2025-02-27T23:30:00.000Z', ...onlyA)['6m']).toMatchObject({ eligible: 1, repeated: 1 });
    // 27 Feb 22:59:59 UTC is still 27 Feb in Cologne: not eligible yet
    expect(repeatCases('2025-02-27T22:59:59.000Z', ...onlyA)['6m']).toMatchObject({ eligible: 0, repeated: 0 });
  });

  it('a repeat referral recorded after asOf is not known then', () => {
    const late = [securedAndClosed('A', 'hA', '2024-08-31'), again('A2', 'hA', '2025-02-28', '2025-03-02T08:00:00.000Z')];
    expect(repeatCases('2025-03-01T12:00:00.000Z', ...late)['6m']).toMatchObject({ eligible: 1, repeated: 0 });
  });
});
