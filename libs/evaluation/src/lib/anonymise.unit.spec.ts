import {
  CLOSING_REASONS,
  EXTENSION_REASONS,
  HOUSING_AT_CLOSE,
  HOUSING_OUTCOMES,
  HOUSING_SITUATIONS,
  INSTITUTION_KINDS,
  MEDIATION_KINDS,
  REFERRAL_SOURCES,
  REJECTION_REASONS,
  TARGET_GROUPS,
  THREAT_CAUSES,
  VISIT_CONCERNS,
} from '@wih/domain';
import { anonymise, auditStatistics, publishCount, publishMedian, publishShare } from './anonymise';
import { median, share } from './raw';
import { computeStatistics } from './statistics';
import { activity, emptyActivityFigures, factsOf, log, many, noHelpPlans, referral, zeros } from './testing/history';

describe('anonymisation rules', () => {
  it('counts: 0 stays 0, 1 to 4 are "<5", 5 and more are published', () => {
    expect([0, 1, 4, 5, 12].map(publishCount)).toEqual([0, '<5', '<5', 5, 12]);
  });

  it('shares: null when the denominator is below 5 or the numerator or its complement is 1 to 4', () => {
    expect(publishShare(share(0, 0))).toBeNull();
    expect(publishShare(share(4, 4))).toBeNull(); // denominator 4
    expect(publishShare(share(3, 10))).toBeNull(); // numerator 3
    expect(publishShare(share(0, 10))).toBe(0);
    expect(publishShare(share(5, 5))).toBe(1);
    expect(publishShare(share(6, 8))).toBeNull(); // complement 2: two not counted
    expect(publishShare(share(15, 20))).toBe(0.75);
  });

  it('medians: null when resting on fewer than 5 values', () => {
    expect(publishMedian(median([1, 2, 3, 4]))).toBeNull();
    expect(publishMedian(median([]))).toBeNull();
    expect(publishMedian(median([9, 1, 5, 3, 7]))).toBe(5); // 1 3 5 7 9
    expect(publishMedian(median([1, 2, 3, 4, 5, 6]))).toBe(3.5); // (3 + 4) / 2
  });
});

describe("anonymise: API.md's statistics answer", () => {
  // 8 jobcenter referrals with children: received 10 Jan, approved 20 Jan (10 days), visited 10 Feb (21 days: on time),
  //   housing secured 1 Mar, closed 1 Apr (12 + 29 + 31 = 72 days after approval); h-j1 and h-j2 are referred again
  //   on 15 Jan 2025 and 1 Mar 2025 (after the 6-month window ending 1 Oct 2024, inside the 12-month one ending 1 Apr 2025)
  // 6 social_office referrals without children: approved 20 Jan, still open
  // 3 self referrals without children: received 1 May, rejected 3 May (2 days)
  const histories = [
    ...many(8, 'j', (id) =>
      referral(id, '2024-01-10', { referralSource: 'jobcenter', targetGroup: 'recommitted', children: 1 })
        .approved('2024-01-20')
        .visit('2024-02-10')
        .secured('2024-03-01')
        .closed('2024-04-01', { reason: 'goal_achieved', housingAtClose: 'own_tenancy' }),
    ),
    ...many(6, 's', (id) =>
      referral(id, '2024-01-10', { referralSource: 'social_office', targetGroup: 'committed_vacant', children: 0 }).approved('2024-01-20'),
    ),
    ...many(3, 'r', (id) =>
      referral(id, '2024-05-01', { referralSource: 'self', targetGroup: 'prevention_aftercare', children: 0 }).rejected('2024-05-03'),
    ),
    referral('j1b', '2025-01-15', { householdId: 'h-j1' }),
    referral('j2b', '2025-03-01', { householdId: 'h-j2' }),
  ];
  const request = { from: '2024-01-01', to: '2024-12-31', asOf: '2025-12-31T12:00:00.000Z' };
  // Two activities in the year: small counts of staff work, published as they are (decision 0024).
  const activities = [
    activity('a1', '2024-03-05', { partnerKinds: ['jobcenter', 'housing_company'], hours: 1.5, participants: 3 }),
    activity('a2', '2024-11-20', { kind: 'public_relations', district: 'citywide', partnerKinds: [], hours: 0.25, participants: 0 }),
    activity('a3', '2023-12-31'), // before the period
  ];
  const raw = computeStatistics(factsOf(log(...histories), request.asOf, activities), request);
  const published = anonymise(raw);

  const closures = {
    total: 8,
    byReason: { ...zeros(CLOSING_REASONS), goal_achieved: 8 },
    medianDaysApprovalToClose: 72,
    housingSecuredRate: 1,
    byHousingAtClose: { ...zeros(HOUSING_AT_CLOSE), own_tenancy: 8 },
  };
  const noMediations = { total: 0, byKind: zeros(MEDIATION_KINDS), byInstitutionKind: { ...zeros(INSTITUTION_KINDS), not_recorded: 0 } };
  const noExtensions = { total: 0, byReason: zeros(EXTENSION_REASONS) };
  // every referral is of a seized flat, because of rent arrears (the defaults); every visit about the tenancy
  const visits = { total: 8, householdMetShare: 1, onTimeShare: 1, byConcern: { ...zeros(VISIT_CONCERNS), tenancy: 8 } };
  // closed 1 Apr 2024: 6m ends 1 Oct 2024 (8 eligible, none repeated: share 0/8 = 0); 12m ends 1 Apr 2025
  // (8 eligible, j1 and j2 repeated: 2 → "<5", share null); 24m ends 1 Apr 2026, after asOf (none eligible)
  const repeatCases = {
    '6m': { eligible: 8, repeated: 0, share: 0 },
    '12m': { eligible: 8, repeated: '<5', share: null },
    '24m': { eligible: 0, repeated: 0, share: null },
  };

  it('publishes every block with small counts hidden and the next smallest breakdown cell suppressed', () => {
    expect(published).toEqual({
      period: { from: '2024-01-01', to: '2024-12-31' },
      asOf: '2025-12-31T12:00:00.000Z',
      referrals: {
        total: 17, // 8 + 6 + 3
        // self 3 → "<5"; it would be 17 − 8 − 6, so social_office (6, next smallest) is suppressed too
        bySource: { ...zeros(REFERRAL_SOURCES), jobcenter: 8, social_office: 'suppressed', self: '<5' },
        byTargetGroup: { ...zeros(TARGET_GROUPS), recommitted: 8, committed_vacant: 'suppressed', prevention_aftercare: '<5' },
        withChildren: 8,
        byHousingSituation: { ...zeros(HOUSING_SITUATIONS), seized_flat: 17 },
        byThreatCause: { ...zeros(THREAT_CAUSES), rent_arrears: 17 },
      },
      // 14 approvals; 3 rejections hide their only reason (the total is hidden too: nothing to suppress)
      // days to decision: 2, 2, 2 and fourteen 10s → the 9th of 17 values is 10
      decisions: {
        approved: 14,
        rejected: '<5',
        rejectedByReason: { ...zeros(REJECTION_REASONS), not_target_group: '<5' },
        medianDaysToDecision: 10,
      },
      cases: { activeAtStart: 0, activeAtEnd: 6, served: 14 },
      visits,
      mediations: noMediations,
      housingSecured: { total: 8, byOutcome: { ...zeros(HOUSING_OUTCOMES), tenancy_preserved: 8 } },
      extensions: noExtensions,
      closures,
      repeatCases,
      helpPlans: noHelpPlans(null),
      withChildren: {
        referrals: {
          total: 8,
          bySource: { ...zeros(REFERRAL_SOURCES), jobcenter: 8 },
          byTargetGroup: { ...zeros(TARGET_GROUPS), recommitted: 8 },
          withChildren: 8,
          byHousingSituation: { ...zeros(HOUSING_SITUATIONS), seized_flat: 8 },
          byThreatCause: { ...zeros(THREAT_CAUSES), rent_arrears: 8 },
        },
        decisions: { approved: 8, rejected: 0, rejectedByReason: zeros(REJECTION_REASONS), medianDaysToDecision: 10 },
        cases: { activeAtStart: 0, activeAtEnd: 0, served: 8 },
        visits,
        mediations: noMediations,
        housingSecured: { total: 8, byOutcome: { ...zeros(HOUSING_OUTCOMES), tenancy_preserved: 8 } },
        extensions: noExtensions,
        closures,
        repeatCases,
        helpPlans: noHelpPlans(null),
      },
      activities: {
        ...emptyActivityFigures(),
        total: 2,
        hours: 1.75,
        participants: 3,
        byKind: { ...emptyActivityFigures().byKind, networking: { count: 1, hours: 1.5 }, public_relations: { count: 1, hours: 0.25 } },
        byPartner: {
          ...emptyActivityFigures().byPartner,
          jobcenter: { count: 1, hours: 1.5 },
          housing_company: { count: 1, hours: 1.5 },
        },
        byDistrict: { ...emptyActivityFigures().byDistrict, kalk: { count: 1, hours: 1.5 }, citywide: { count: 1, hours: 0.25 } },
      },
    });
  });

  it('passes the audit', () => {
    expect(auditStatistics(raw, published)).toEqual([]);
  });

  it("keeps API.md's key order", () => {
    expect(Object.keys(published)).toEqual([
      'period',
      'asOf',
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
      'withChildren',
      'activities',
    ]);
    // new figures follow the ones API.md lists, so existing readers find theirs where they were
    expect(Object.keys(published.referrals)).toEqual([
      'total',
      'bySource',
      'byTargetGroup',
      'withChildren',
      'byHousingSituation',
      'byThreatCause',
    ]);
    expect(Object.keys(published.visits)).toEqual(['total', 'householdMetShare', 'onTimeShare', 'byConcern']);
    expect(Object.keys(published.mediations)).toEqual(['total', 'byKind', 'byInstitutionKind']);
    expect(Object.keys(published.closures)).toEqual([
      'total',
      'byReason',
      'medianDaysApprovalToClose',
      'housingSecuredRate',
      'byHousingAtClose',
    ]);
  });

  it('hides small caseload counts, and medians and shares resting on too little', () => {
    const few = [referral('x1', '2024-01-10').approved('2024-01-20').visit('2024-02-01').closed('2024-03-01')];
    const small = anonymise(computeStatistics(factsOf(log(...few), request.asOf), request));
    expect(small.cases).toEqual({ activeAtStart: 0, activeAtEnd: 0, served: '<5' });
    expect(small.visits).toEqual({
      total: '<5',
      householdMetShare: null,
      onTimeShare: null,
      byConcern: { ...zeros(VISIT_CONCERNS), tenancy: '<5' },
    });
    expect(small.closures.medianDaysApprovalToClose).toBeNull();
    expect(small.closures.housingSecuredRate).toBeNull(); // 0 of 1: denominator below 5
  });
});
