import { DEFAULT_RETENTION, type CaseEvent, type HouseholdEvent } from '@wih/domain';
import { accessReport, type AccessReportInput, type ReportCase } from './access-report';

const HH = '11111111-1111-4111-8111-111111111111';
const CASE_1 = '22222222-2222-4222-8222-222222222222';
const CASE_2 = '33333333-3333-4333-8333-333333333333';
const GOAL = '44444444-4444-4444-8444-444444444444';
const ISSUED = '2026-05-04T10:00:00.000Z';

const referral = (caseId: string, receivedOn: string, household = { name: 'Familie Alt', address: 'Altweg 1, 50667 Köln' }): CaseEvent => ({
  type: 'ReferralReceived',
  data: {
    caseId,
    householdId: HH,
    receivedOn,
    referralSource: 'jobcenter',
    targetGroup: 'prevention_aftercare',
    housingSituation: 'own_tenancy_at_risk',
    threatCauses: ['rent_arrears'],
    adults: 2,
    children: 1,
    existingAid: [],
    consentGiven: true,
    previousCaseId: null,
    recordedBy: 'anna',
  },
  personal: { household, notes: 'Mietrückstand seit März' },
});

const firstCase: CaseEvent[] = [
  referral(CASE_1, '2024-01-10'),
  {
    type: 'ReferralApproved',
    data: { approvedOn: '2024-01-15', assignedCaseworkerId: 'anna', visitIntervalDays: 14, plannedEndOn: '2024-07-15' },
  },
  {
    type: 'HomeVisitRecorded',
    data: { visitedOn: '2024-01-20', householdMet: true, concerns: ['tenancy'] },
    personal: { notes: 'Besuch-Notiz' },
  },
  { type: 'HelpMediated', data: { mediatedOn: '2024-01-25', kind: 'debt_counselling', institutionKind: null }, personal: {} },
  {
    type: 'HelpPlanAgreed',
    data: {
      agreedOn: '2024-02-01',
      goals: [{ goalId: GOAL, area: 'rent_and_debts', actor: 'household', reviewOn: '2024-03-01' }],
      householdParticipated: true,
    },
    personal: { wording: { [GOAL]: 'Schulden ordnen' } },
  },
  { type: 'GoalReviewed', data: { reviewedOn: '2024-03-01', goalId: GOAL, status: 'achieved', householdView: 'satisfied' }, personal: {} },
  {
    type: 'HouseholdDetailsChanged',
    data: { changedOn: '2024-04-01', reason: 'moved', changed: ['address'] },
    personal: { household: { address: 'Neuweg 2, 50667 Köln' } },
  },
  { type: 'ProcessingRestricted', data: { householdId: HH, restrictedOn: '2024-04-10', reason: 'accuracy_contested' } },
  { type: 'RestrictionLifted', data: { householdId: HH, liftedOn: '2024-04-20' } },
  { type: 'CaseClosed', data: { closedOn: '2024-06-30', reason: 'goal_achieved', housingAtClose: 'own_tenancy' }, personal: {} },
];

const household: HouseholdEvent[] = [
  { type: 'HouseholdCaseReserved', data: { householdId: HH, caseId: CASE_1, reservedAt: '2024-01-10T08:00:00.000Z' } },
  { type: 'ProcessingRestricted', data: { householdId: HH, restrictedOn: '2024-04-10', reason: 'accuracy_contested' } },
  { type: 'RestrictionLifted', data: { householdId: HH, liftedOn: '2024-04-20' } },
];

const input = (overrides: Partial<AccessReportInput> = {}): AccessReportInput => ({
  householdId: HH,
  issuedAt: ISSUED,
  household,
  cases: [{ caseId: CASE_1, events: firstCase }],
  reads: [
    { at: '2024-05-02T09:00:00.000Z', userId: 'fs-1', role: 'fachstelle', caseId: CASE_1, action: 'timeline' },
    { at: '2024-05-01T09:00:00.000Z', userId: 'anna', role: 'caseworker', caseId: CASE_1, action: 'detail' },
  ],
  retention: DEFAULT_RETENTION,
  ...overrides,
});

describe('accessReport: the household’s access report from its events', () => {
  it('holds the case with its dates, decision, visits, mediations, help plan with reviews, notes and closing', () => {
    const report = accessReport(input());
    expect(report.erased).toBeNull();
    const [c] = report.cases as ReportCase[];
    expect(c).toMatchObject({
      caseId: CASE_1,
      status: 'closed',
      referral: { receivedOn: '2024-01-10', referralSource: 'jobcenter', children: 1, notes: 'Mietrückstand seit März' },
      decision: { kind: 'approved', approvedOn: '2024-01-15', assignedCaseworkerId: 'anna', plannedEndOn: '2024-07-15' },
      visits: [{ visitedOn: '2024-01-20', householdMet: true, concerns: ['tenancy'], notes: 'Besuch-Notiz' }],
      mediations: [{ mediatedOn: '2024-01-25', kind: 'debt_counselling', institutionKind: null, notes: null }],
      closure: { closedOn: '2024-06-30', reason: 'goal_achieved', housingAtClose: 'own_tenancy', notes: null },
    });
    expect(c.helpPlans).toEqual([
      {
        agreedOn: '2024-02-01',
        householdParticipated: true,
        notes: null,
        goals: [
          {
            goalId: GOAL,
            area: 'rent_and_debts',
            actor: 'household',
            reviewOn: '2024-03-01',
            wording: 'Schulden ordnen',
            reviews: [{ reviewedOn: '2024-03-01', status: 'achieved', householdView: 'satisfied', notes: null }],
          },
        ],
      },
    ]);
  });

  it('shows the details as they are now and as they were, each change with its date and reason', () => {
    const { household: details } = accessReport(input());
    expect(details?.current).toEqual({ name: 'Familie Alt', address: 'Neuweg 2, 50667 Köln', phone: null });
    expect(details?.history).toEqual([
      {
        kind: 'referral',
        caseId: CASE_1,
        on: '2024-01-10',
        household: { name: 'Familie Alt', address: 'Altweg 1, 50667 Köln', phone: null },
      },
      { kind: 'change', caseId: CASE_1, on: '2024-04-01', reason: 'moved', household: { address: 'Neuweg 2, 50667 Köln' } },
    ]);
  });

  it('lists the restriction periods, the reads in time order, and the retention date after the closing', () => {
    const report = accessReport(input());
    expect(report.restrictions).toEqual([{ restrictedOn: '2024-04-10', reason: 'accuracy_contested', liftedOn: '2024-04-20' }]);
    expect(report.reads.map((r) => [r.userId, r.action])).toEqual([
      ['anna', 'detail'],
      ['fs-1', 'timeline'],
    ]);
    // six years after the closing (the default RETENTION_AFTER_CLOSE)
    expect(report.retention).toEqual({ erasureDueOn: '2030-06-30', openCase: false });
    expect(accessReport(input({ retention: { afterCloseMonths: 120, afterRejectionMonths: 12 } })).retention?.erasureDueOn).toBe(
      '2034-06-30',
    );
  });

  it('says the data is kept while a case is open', () => {
    const report = accessReport(input({ cases: [{ caseId: CASE_1, events: firstCase.slice(0, 3) }] }));
    expect(report.retention).toEqual({ erasureDueOn: null, openCase: true });
    expect((report.cases[0] as ReportCase).status).toBe('active');
  });

  it('after the erasure holds only that the data was erased, and when', () => {
    const erased = accessReport(
      input({ household: [...household, { type: 'PersonalDataErased', data: { householdId: HH, erasedOn: '2026-05-01' } }] }),
    );
    expect(erased).toEqual({
      householdId: HH,
      issuedAt: ISSUED,
      erased: { erasedOn: '2026-05-01' },
      household: null,
      cases: [],
      restrictions: [],
      reads: [],
      retention: null,
    });
  });

  it('for a household that came back after its erasure: the erased case as its date only, the new case in full', () => {
    const erasedCase = [...firstCase, { type: 'PersonalDataErased', data: { householdId: HH, erasedOn: '2025-01-02' } } as CaseEvent];
    const report = accessReport(
      input({
        household: [
          ...household,
          { type: 'PersonalDataErased', data: { householdId: HH, erasedOn: '2025-01-02' } },
          { type: 'HouseholdCaseReserved', data: { householdId: HH, caseId: CASE_2, reservedAt: '2026-01-05T08:00:00.000Z' } },
        ],
        cases: [
          { caseId: CASE_1, events: erasedCase },
          { caseId: CASE_2, events: [referral(CASE_2, '2026-01-05', { name: 'Familie Neu', address: 'Hofweg 3, 50667 Köln' })] },
        ],
      }),
    );
    expect(report.erased).toBeNull();
    expect(report.cases[0]).toEqual({ caseId: CASE_1, erasedOn: '2025-01-02' });
    expect((report.cases[1] as ReportCase).caseId).toBe(CASE_2);
    expect(report.household?.current).toEqual({ name: 'Familie Neu', address: 'Hofweg 3, 50667 Köln', phone: null });
    expect(JSON.stringify(report)).not.toMatch(/Familie Alt|Altweg|Neuweg|Schulden|Besuch-Notiz/);
    // the reads of the erased case are gone with its content; the new case is open: kept meanwhile
    expect(report.reads).toEqual([]);
    expect(report.retention).toEqual({ erasureDueOn: null, openCase: true });
  });
});
