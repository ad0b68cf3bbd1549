import fc from 'fast-check';
import { historiesArbitrary, requestArbitrary } from './disclosure/testing';
import type { CaseFacts, Facts } from './facts';
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
  type ReferralSource,
} from '@wih/domain';
import { METRICS } from './metrics/registry';
import { casesRelevantTo, computeBlocks, computeStatistics, metricContext } from './statistics';
import { factsOf, log, noHelpPlans, referral, zeros } from './testing/history';

const REQUEST = { from: '2024-01-01', to: '2024-06-30', asOf: '2025-01-15T12:00:00.000Z' };

// k1 has children: received 1 Feb, approved 10 Feb (9 days), visit 1 Mar (20 days after approval: on time), mediation,
// housing secured, closed 1 May (20 + 31 + 30 = 81 days after approval; 2024 is a leap year); the household is referred again on 1 Sep,
// within the 6-month window (1 May → 1 Nov 2024, complete at asOf); the 12-month window ends 1 May 2025, after asOf.
const k1 = referral('k1', '2024-02-01', { householdId: 'hk1', children: 2, referralSource: 'jobcenter', targetGroup: 'recommitted' })
  .approved('2024-02-10')
  .visit('2024-03-01')
  .mediated('2024-03-05')
  .secured('2024-04-01')
  .closed('2024-05-01', { reason: 'goal_achieved', housingAtClose: 'own_tenancy' });
const k1again = referral('k1b', '2024-09-01', { householdId: 'hk1', children: 0, previousCaseId: 'k1' });
// k2 has none: approved after 4 days, one visit (household not met, 15 days: on time), still open.
const k2 = referral('k2', '2024-02-01', { householdId: 'hk2', children: 0, referralSource: 'self', targetGroup: 'committed_vacant' })
  .approved('2024-02-05')
  .visit('2024-02-20', { householdMet: false });

const raw = computeStatistics(factsOf(log(k1, k2, k1again), REQUEST.asOf), REQUEST);
const share = (numerator: number, denominator: number, value: number | null) => ({ kind: 'share', numerator, denominator, value });
const median = (count: number, value: number | null) => ({ kind: 'median', count, value });

describe('computeStatistics: every registered metric, for all cases and for households with children', () => {
  it('answers the period, asOf, each block in registry order, then withChildren with the same blocks', () => {
    const blocks = METRICS.map((m) => m.block);
    expect(blocks).toEqual([
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
    ]);
    expect(Object.keys(raw)).toEqual(['period', 'asOf', ...blocks, 'withChildren', 'activities']);
    expect(Object.keys(raw.withChildren)).toEqual(blocks);
    expect(raw.period).toEqual({ from: '2024-01-01', to: '2024-06-30' });
    expect(raw.asOf).toBe(REQUEST.asOf);
  });

  it("withChildren: only k1, but its household's repeat referral counts although that referral has no children", () => {
    expect(raw.withChildren).toEqual({
      referrals: {
        total: 1,
        bySource: { ...zeros(REFERRAL_SOURCES), jobcenter: 1 },
        byTargetGroup: { ...zeros(TARGET_GROUPS), recommitted: 1 },
        withChildren: 1,
        byHousingSituation: { ...zeros(HOUSING_SITUATIONS), seized_flat: 1 },
        byThreatCause: { ...zeros(THREAT_CAUSES), rent_arrears: 1 },
      },
      decisions: { approved: 1, rejected: 0, rejectedByReason: zeros(REJECTION_REASONS), medianDaysToDecision: median(1, 9) },
      cases: { activeAtStart: 0, activeAtEnd: 0, served: 1 },
      visits: {
        total: 1,
        householdMetShare: share(1, 1, 1),
        onTimeShare: share(1, 1, 1),
        byConcern: { ...zeros(VISIT_CONCERNS), tenancy: 1 },
      },
      mediations: {
        total: 1,
        byKind: { ...zeros(MEDIATION_KINDS), landlord: 1 },
        byInstitutionKind: { ...zeros(INSTITUTION_KINDS), housing_company: 1, not_recorded: 0 },
      },
      housingSecured: { total: 1, byOutcome: { ...zeros(HOUSING_OUTCOMES), tenancy_preserved: 1 } },
      extensions: { total: 0, byReason: zeros(EXTENSION_REASONS) },
      closures: {
        total: 1,
        byReason: { ...zeros(CLOSING_REASONS), goal_achieved: 1 },
        medianDaysApprovalToClose: median(1, 81),
        housingSecuredRate: share(1, 1, 1),
        byHousingAtClose: { ...zeros(HOUSING_AT_CLOSE), own_tenancy: 1 },
      },
      repeatCases: {
        '6m': { eligible: 1, repeated: 1, share: share(1, 1, 1) },
        '12m': { eligible: 0, repeated: 0, share: share(0, 0, null) },
        '24m': { eligible: 0, repeated: 0, share: share(0, 0, null) },
      },
      helpPlans: noHelpPlans(share(0, 0, null)),
    });
  });

  it('all cases: k1 and k2 together', () => {
    expect(raw.referrals).toEqual({
      total: 2,
      bySource: { ...zeros(REFERRAL_SOURCES), jobcenter: 1, self: 1 },
      byTargetGroup: { ...zeros(TARGET_GROUPS), recommitted: 1, committed_vacant: 1 },
      withChildren: 1,
      byHousingSituation: { ...zeros(HOUSING_SITUATIONS), seized_flat: 2 },
      byThreatCause: { ...zeros(THREAT_CAUSES), rent_arrears: 2 },
    });
    // days to decision 4 and 9 → 6.5
    expect(raw.decisions.medianDaysToDecision).toEqual(median(2, 6.5));
    expect(raw.cases).toEqual({ activeAtStart: 0, activeAtEnd: 1, served: 2 });
    // 2 visits: met 1 of 2, on time 2 of 2
    expect(raw.visits).toEqual({
      total: 2,
      householdMetShare: share(1, 2, 0.5),
      onTimeShare: share(2, 2, 1),
      byConcern: { ...zeros(VISIT_CONCERNS), tenancy: 2 },
    });
  });

  it('refuses a period that is not one and an asOf that is not an instant', () => {
    const facts = factsOf([], REQUEST.asOf);
    expect(() => computeStatistics(facts, { ...REQUEST, from: '2024-07-01' })).toThrow(RangeError);
    expect(() => computeStatistics(facts, { ...REQUEST, to: '2024-02-30' })).toThrow(RangeError);
    expect(() => computeStatistics(facts, { ...REQUEST, asOf: 'now' })).toThrow(RangeError);
  });
});

describe('casesRelevantTo: the cases a period can count (decision 0044)', () => {
  it('leaves out only cases that change no figure: every block equal with and without them, on random histories and periods', () => {
    let dropped = 0;
    fc.assert(
      fc.property(historiesArbitrary(), requestArbitrary, (histories, request) => {
        const facts = factsOf(log(...histories), request.asOf);
        const ctx = metricContext(facts, request);
        const relevant = casesRelevantTo(facts.cases, request);
        dropped += facts.cases.length - relevant.length;
        expect(computeBlocks(relevant, ctx)).toEqual(computeBlocks(facts.cases, ctx));
        const withChildren = (cases: readonly CaseFacts[]) => cases.filter((c) => c.withChildren);
        expect(computeBlocks(withChildren(relevant), ctx)).toEqual(computeBlocks(withChildren(facts.cases), ctx));
      }),
      { numRuns: 150 },
    );
    // not vacuous: the random histories have cases outside the periods
    expect(dropped).toBeGreaterThan(0);
  });

  it('keeps an open case whose dates all lie before the period (it is in help across it) and drops a closed one', () => {
    const open = referral('open', '2023-02-01').approved('2023-02-10');
    const closed = referral('closed', '2023-02-01').approved('2023-02-10').closed('2023-06-01');
    const later = referral('later', '2025-02-01');
    const facts = factsOf(log(open, closed, later), '2025-12-31T12:00:00.000Z');
    expect(casesRelevantTo(facts.cases, { from: '2024-01-01', to: '2024-12-31' }).map((c) => c.caseId)).toEqual(['open']);
  });
});

describe('figures kept per segment of a live collector (decision 0047)', () => {
  const onePass = ({ segments: _segments, ...facts }: Facts): Facts => facts;

  it('their sum equals one pass over all the cases, on random histories and periods', () => {
    let summed = 0;
    fc.assert(
      fc.property(historiesArbitrary(), requestArbitrary, (histories, request) => {
        const facts = factsOf(log(...histories), request.asOf);
        if ((facts.segments ?? []).filter((segment) => segment.cases.length > 0).length > 1) summed++;
        expect(computeStatistics(facts, request)).toEqual(computeStatistics(onePass(facts), request));
      }),
      { numRuns: 150 },
    );
    // not vacuous: most histories spread over several segments
    expect(summed).toBeGreaterThan(75);
  });

  it('a code this version does not know still counts: its segment has another shape, so the answer is one pass', () => {
    const newer = referral('n1', '2024-03-01', { referralSource: 'a_later_source' as ReferralSource });
    const facts = factsOf(log(k1, k2, newer), REQUEST.asOf);
    const statistics = computeStatistics(facts, REQUEST);
    expect((statistics.referrals.bySource as Record<string, number>)['a_later_source']).toBe(1);
    expect(statistics.referrals.total).toBe(3);
    expect(statistics).toEqual(computeStatistics(onePass(facts), REQUEST));
  });
});
