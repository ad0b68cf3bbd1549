import { caseExportRows, type CaseExportRow } from './case-export';
import { factsOf, log, referral } from './testing/history';

const REQUEST = { from: '2024-01-01', to: '2024-06-30', asOf: '2025-03-01T12:00:00.000Z' };
const PSEUDONYMS: Record<string, string> = { e1: 'P-3', e2: 'P-1', e4: 'P-2', e5: 'P-0' };
const pseudonym = (caseId: string): string => PSEUDONYMS[caseId] ?? `unexpected ${caseId}`;

const histories = [
  // received 10 Jan, approved 20 Jan (10 days), closed 1 Apr (12 + 29 + 31 = 72 days); the household is referred
  // again on 15 Sep 2024: within 6 months (window ends 1 Oct 2024); the 12-month window ends 1 Apr 2025, after asOf
  referral('e1', '2024-01-10', { householdId: 'h1', referralSource: 'jobcenter', targetGroup: 'committed_vacant', children: 2 })
    .approved('2024-01-20').visit('2024-02-01').mediated('2024-02-05').visit('2024-03-01')
    .secured('2024-03-15', { outcome: 'own_tenancy_agreement' }).closed('2024-04-01', { reason: 'goal_achieved', housingAtClose: 'own_tenancy' }),
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
  pseudonym: '', referralSource: 'social_office', targetGroup: 'recommitted', withChildren: true, repeatReferral: false,
  decision: 'pending', rejectionReason: null, receivedMonth: '', approvedMonth: null, rejectedMonth: null, closedMonth: null,
  daysToDecision: null, daysApprovalToClose: null, visits: 0, mediations: 0, housingOutcome: null, closingReason: null,
  housingAtClose: null, repeated6m: null, repeated12m: null, repeated24m: null, ...fields,
});

describe('caseExportRows: anonymised case-level rows for cases with activity in the period', () => {
  it('exports categories, months, durations, counts and repeat flags, sorted by pseudonym', () => {
    expect(rows).toEqual([
      row({ pseudonym: 'P-0', targetGroup: 'prevention_aftercare', receivedMonth: '2024-06' }),
      row({
        pseudonym: 'P-1', withChildren: false, repeatReferral: true, decision: 'approved', receivedMonth: '2023-11', approvedMonth: '2023-11',
        daysToDecision: 9, visits: 1,
      }),
      row({
        pseudonym: 'P-2', referralSource: 'self', decision: 'rejected', rejectionReason: 'declined_by_household', receivedMonth: '2024-06',
        rejectedMonth: '2024-07', daysToDecision: 3,
      }),
      row({
        pseudonym: 'P-3', referralSource: 'jobcenter', targetGroup: 'committed_vacant', decision: 'approved',
        receivedMonth: '2024-01', approvedMonth: '2024-01', closedMonth: '2024-04', daysToDecision: 10, daysApprovalToClose: 72,
        visits: 2, mediations: 1, housingOutcome: 'own_tenancy_agreement', closingReason: 'goal_achieved', housingAtClose: 'own_tenancy',
        repeated6m: true, repeated12m: null, repeated24m: null,
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
