import { HOUSING_SITUATIONS, REFERRAL_SOURCES, REJECTION_REASONS, THREAT_CAUSES } from '@wih/domain';
import { computeStatistics } from '../statistics';
import { factsOf, log, referral, zeros, type CaseHistory } from '../testing/history';

const PERIOD = { from: '2024-01-01', to: '2024-06-30' };
const AS_OF = '2025-01-15T12:00:00.000Z';
const AFTER_AS_OF = '2025-01-16T08:00:00.000Z';
const stats = (...histories: CaseHistory[]) => computeStatistics(factsOf(log(...histories), AS_OF), { ...PERIOD, asOf: AS_OF });

describe('referrals: ReferralReceived in the period', () => {
  it('counts referrals on both edges, by source, by target group, by housing situation and with children; lists every code', () => {
    const block = stats(
      referral('r1', '2023-12-31'), // the day before: out
      referral('r2', '2024-01-01', {
        referralSource: 'jobcenter',
        targetGroup: 'committed_vacant',
        children: 2,
        housingSituation: 'committed_housing',
        threatCauses: ['rent_arrears', 'eviction_suit'],
      }),
      referral('r3', '2024-06-30', { referralSource: 'self', targetGroup: 'recommitted', children: 0, threatCauses: [] }),
      referral('r4', '2024-03-15', {
        referralSource: 'social_office',
        targetGroup: 'prevention_aftercare',
        children: 0,
        housingSituation: 'own_tenancy_at_risk',
        threatCauses: ['rent_arrears', 'income_problems', 'family_crisis'],
      }),
      referral('r5', '2024-07-01'), // the day after: out
      referral('r6', '2024-05-01', { recordedAt: AFTER_AS_OF }), // in the period, but unknown at asOf
    ).referrals;
    // r2, r3, r4: 3 referrals; only r2 has children.
    expect(block).toEqual({
      total: 3,
      bySource: { ...zeros(REFERRAL_SOURCES), jobcenter: 1, self: 1, social_office: 1 },
      byTargetGroup: { recommitted: 1, committed_vacant: 1, prevention_aftercare: 1 },
      withChildren: 1,
      byHousingSituation: { ...zeros(HOUSING_SITUATIONS), committed_housing: 1, seized_flat: 1, own_tenancy_at_risk: 1 },
      // several causes per referral, r3 none: 5 mentions over 3 referrals
      byThreatCause: { ...zeros(THREAT_CAUSES), rent_arrears: 2, eviction_suit: 1, income_problems: 1, family_crisis: 1 },
    });
    expect(Object.keys(block.bySource)).toEqual([...REFERRAL_SOURCES]);
    expect(Object.keys(block.byThreatCause)).toEqual([...THREAT_CAUSES]);
  });

  it('counts a referral once per cause, however often its list names it', () => {
    const block = stats(referral('d1', '2024-02-01', { threatCauses: ['health', 'health'] })).referrals;
    expect(block.byThreatCause).toEqual({ ...zeros(THREAT_CAUSES), health: 1 });
  });
});

describe('decisions: approvals and rejections in the period', () => {
  const decided = [
    referral('d1', '2023-12-20').approved('2024-01-05'), // 11 + 5 = 16 days
    referral('d2', '2023-12-28').approved('2023-12-31'), // decided before the period: out
    referral('d3', '2024-06-20').rejected('2024-06-30', { reason: 'comparable_aid_installed' }), // 10 days
    referral('d4', '2024-02-01').approved('2024-02-04'), // 3 days
    referral('d5', '2024-03-01').rejected('2024-03-31', { reason: 'not_target_group' }), // 30 days
    referral('d6', '2024-06-25').approved('2024-07-01'), // decided after the period: out
    referral('d7', '2024-04-01').rejected('2024-04-08', { reason: 'other', recordedAt: AFTER_AS_OF }), // unknown at asOf
  ];

  it('counts both, rejections by reason; even count: median = mean of the two middle values', () => {
    // days to decision: 3, 10, 16, 30 → (10 + 16) / 2 = 13, from 4 values
    expect(stats(...decided).decisions).toEqual({
      approved: 2,
      rejected: 2,
      rejectedByReason: { ...zeros(REJECTION_REASONS), comparable_aid_installed: 1, not_target_group: 1 },
      medianDaysToDecision: { kind: 'median', count: 4, value: 13 },
    });
  });

  it('odd count: the middle value', () => {
    // plus d8: 2024-05-01 → 2024-05-21 = 20 days; 3, 10, 16, 20, 30 → 16
    const block = stats(...decided, referral('d8', '2024-05-01').approved('2024-05-21')).decisions;
    expect(block.approved).toBe(3);
    expect(block.medianDaysToDecision).toEqual({ kind: 'median', count: 5, value: 16 });
  });

  it('no decisions: zero counts and a median without value', () => {
    expect(stats(referral('n1', '2024-02-01')).decisions).toEqual({
      approved: 0,
      rejected: 0,
      rejectedByReason: zeros(REJECTION_REASONS),
      medianDaysToDecision: { kind: 'median', count: 0, value: null },
    });
  });
});

describe('cases: caseload at the edges of the period ("open" as known at asOf)', () => {
  it('active at start, active at end and served, with cases spanning both edges', () => {
    const block = stats(
      referral('a', '2023-10-20').approved('2023-11-01').closed('2024-03-01'), // start, served
      referral('b', '2024-01-20').approved('2024-02-01'), // open: end, served
      referral('c', '2023-09-20').approved('2023-10-01').closed('2024-01-01'), // closed on from: start, served
      referral('d', '2024-01-20').approved('2024-02-01').closed('2024-06-30'), // closed on to: served only
      referral('e', '2023-09-20').approved('2023-10-01').closed('2023-12-31'), // closed the day before from: none
      referral('f', '2023-12-20').approved('2024-01-01'), // approved on from, open: end, served
      referral('g', '2024-06-01').approved('2024-06-30').closed('2024-08-01'), // approved on to, closed after: end, served
      referral('h', '2024-06-25').approved('2024-07-01'), // approved after to: none
      referral('i', '2023-05-20').approved('2023-06-01').closed('2024-02-01', { recordedAt: AFTER_AS_OF }), // open at asOf: all three
      referral('j', '2023-12-01'), // never decided: none
      referral('k', '2023-12-01').rejected('2023-12-05'), // rejected: none
    ).cases;
    // activeAtStart: a, c, i = 3; activeAtEnd: b, f, g, i = 4; served: a, b, c, d, f, g, i = 7
    expect(block).toEqual({ activeAtStart: 3, activeAtEnd: 4, served: 7 });
  });
});
