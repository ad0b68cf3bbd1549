import {
  CLOSING_REASONS,
  EXTENSION_REASONS,
  HOUSING_AT_CLOSE,
  HOUSING_OUTCOMES,
  INSTITUTION_KINDS,
  MEDIATION_KINDS,
  VISIT_CONCERNS,
} from '@wih/domain';
import { computeStatistics } from '../statistics';
import { factsOf, log, referral, zeros, type CaseHistory } from '../testing/history';

const PERIOD = { from: '2024-01-01', to: '2024-06-30' };
const AS_OF = '2025-01-15T12:00:00.000Z';
const AFTER_AS_OF = '2025-01-16T08:00:00.000Z';
const stats = (...histories: CaseHistory[]) => computeStatistics(factsOf(log(...histories), AS_OF), { ...PERIOD, asOf: AS_OF });
/** Recorded on a given day (to enter visits out of date order). */
const at = (day: string) => `${day}T10:00:00.000Z`;

describe('visits: HomeVisitRecorded in the period, householdMet and on time', () => {
  it('judges a visit by the previous visit by visitedOn (approval for the first), not by log order', () => {
    const block = stats(
      // interval 28, recorded 9 Mar, then 10 Jan, then 10 Feb:
      referral('v1', '2023-12-10')
        .approved('2023-12-20')
        .visit('2024-03-09', { recordedAt: at('2024-03-09'), concerns: ['economic', 'family', 'economic'] }) // after 10 Feb: 28 days, on time; met
        .visit('2024-01-10', { recordedAt: at('2024-03-10') }) // after approval 20 Dec: 21 days, on time; met
        .visit('2024-02-10', { householdMet: false, recordedAt: at('2024-03-11'), concerns: [] }), // after 10 Jan: 31 days, late; not met
      // interval 14: a visit before the period still is the previous one
      referral('v2', '2023-10-20')
        .approved('2023-11-01', { visitIntervalDays: 14 })
        .visit('2023-12-25', { concerns: ['health'] }) // out of the period
        .visit('2024-01-05', { concerns: ['health', 'tenancy'] }) // after 25 Dec: 11 days, on time; met
        .visit('2024-07-02', { concerns: ['health'] }), // out of the period
      // interval 7
      referral('v3', '2024-05-20')
        .approved('2024-06-01', { visitIntervalDays: 7 })
        .visit('2024-06-09') // after 1 Jun: 8 days, late; met
        .visit('2024-06-12', { recordedAt: AFTER_AS_OF }), // unknown at asOf
    ).visits;
    // visits 3 + 1 + 1 = 5; met 2 + 1 + 1 = 4; on time 2 + 1 + 0 = 3
    // concerns (visits naming each, once per visit; the default is tenancy): v1 economic + family, tenancy, none;
    // v2 health + tenancy; v3 tenancy → tenancy 3, economic 1, family 1, health 1: 6 mentions over 5 visits, one with none
    expect(block).toEqual({
      total: 5,
      householdMetShare: { kind: 'share', numerator: 4, denominator: 5, value: 0.8 },
      onTimeShare: { kind: 'share', numerator: 3, denominator: 5, value: 0.6 },
      byConcern: { ...zeros(VISIT_CONCERNS), tenancy: 3, economic: 1, family: 1, health: 1 },
    });
  });

  it('no visits: shares without value', () => {
    expect(stats(referral('v0', '2024-01-05').approved('2024-01-10')).visits).toEqual({
      total: 0,
      householdMetShare: { kind: 'share', numerator: 0, denominator: 0, value: null },
      onTimeShare: { kind: 'share', numerator: 0, denominator: 0, value: null },
      byConcern: zeros(VISIT_CONCERNS),
    });
  });
});

describe('mediations and housing secured in the period', () => {
  it('counts mediations (not cases) by kind and by institution kind, on both edges', () => {
    const block = stats(
      referral('m1', '2023-12-01')
        .approved('2023-12-10')
        .mediated('2023-12-31')
        .mediated('2024-01-01')
        .mediated('2024-06-30', { kind: 'jobcenter', institutionKind: 'jobcenter' }),
      referral('m2', '2024-02-01')
        .approved('2024-02-10')
        .mediated('2024-03-01', { kind: 'debt_counselling', institutionKind: null })
        .mediated('2024-03-02')
        .mediated('2024-07-01', { kind: 'other' }),
    ).mediations;
    // in the period: 1 Jan landlord, 30 Jun jobcenter, 1 Mar debt_counselling, 2 Mar landlord = 4
    // institution kinds: housing_company (the default) 2, jobcenter 1, none recorded 1: the cells add up to the total
    expect(block).toEqual({
      total: 4,
      byKind: { ...zeros(MEDIATION_KINDS), landlord: 2, jobcenter: 1, debt_counselling: 1 },
      byInstitutionKind: { ...zeros(INSTITUTION_KINDS), housing_company: 2, jobcenter: 1, not_recorded: 1 },
    });
    expect(Object.keys(block.byInstitutionKind)).toEqual([...INSTITUTION_KINDS, 'not_recorded']);
  });

  it('counts extensions (not cases) in the period by extendedOn, by reason', () => {
    const block = stats(
      referral('e1', '2023-01-05')
        .approved('2023-01-10')
        .extended('2023-12-31') // before the period
        .extended('2024-01-01', { reason: 'goal_not_yet_reached' })
        .extended('2024-06-30', { reason: 'new_crisis' }),
      referral('e2', '2023-06-01')
        .approved('2023-06-10')
        .extended('2024-03-01')
        .extended('2024-07-01') // after the period
        .extended('2024-04-01', { recordedAt: AFTER_AS_OF }), // unknown at asOf
    ).extensions;
    expect(block).toEqual({
      total: 3,
      byReason: { ...zeros(EXTENSION_REASONS), goal_not_yet_reached: 1, new_crisis: 1, housing_search_ongoing: 1 },
    });
  });

  it('counts HousingSecured by outcome', () => {
    const block = stats(
      referral('s1', '2024-01-01').approved('2024-01-10').secured('2024-02-01'),
      referral('s2', '2024-01-01').approved('2024-01-10').secured('2024-06-30', { outcome: 'own_tenancy_agreement' }),
      referral('s3', '2023-11-01').approved('2023-11-10').secured('2023-12-31', { outcome: 'other' }), // before the period
      referral('s4', '2024-01-01').approved('2024-01-10').secured('2024-03-01', { outcome: 'other', recordedAt: AFTER_AS_OF }),
    ).housingSecured;
    expect(block).toEqual({ total: 2, byOutcome: { ...zeros(HOUSING_OUTCOMES), tenancy_preserved: 1, own_tenancy_agreement: 1 } });
    expect(Object.keys(block.byOutcome)).toEqual([...HOUSING_OUTCOMES]);
  });
});

describe('closures: CaseClosed in the period', () => {
  const closed = {
    c1: referral('c1', '2024-01-05')
      .approved('2024-01-10')
      .secured('2024-02-01')
      .closed('2024-02-10', { reason: 'goal_achieved', housingAtClose: 'own_tenancy' }), // 31 days
    c2: referral('c2', '2023-06-20').approved('2023-07-01').closed('2024-01-01'), // 31+31+30+31+30+31 = 184 days
    c3: referral('c3', '2024-02-20').approved('2024-03-01').closed('2024-06-30', { reason: 'unreachable', housingAtClose: 'homeless' }), // 31+30+31+29 = 121 days
    c4: referral('c4', '2023-11-20')
      .approved('2023-12-01')
      .secured('2024-01-15')
      .closed('2024-04-15', { reason: 'goal_achieved', housingAtClose: 'own_tenancy' }), // 31+31+29+31+14 = 136 days (2024 is a leap year)
    c5: referral('c5', '2023-12-20').approved('2024-01-01').closed('2024-07-01'), // after the period
    c6: referral('c6', '2024-01-20')
      .approved('2024-02-01')
      .secured('2024-03-01')
      .closed('2024-05-01', { reason: 'moved_away', housingAtClose: 'own_tenancy' }), // 29+31+30 = 90
    c7: referral('c7', '2023-12-20').approved('2024-01-01').closed('2024-05-05', { recordedAt: AFTER_AS_OF }), // unknown at asOf
  };

  it('by reason; odd median; housingSecuredRate over the closures', () => {
    // days: 31, 90, 121, 136, 184 → 121; with HousingSecured: c1, c4, c6 → 3 / 5
    expect(stats(...Object.values(closed)).closures).toEqual({
      total: 5,
      byReason: { ...zeros(CLOSING_REASONS), goal_achieved: 2, time_limit_reached: 1, unreachable: 1, moved_away: 1 },
      medianDaysApprovalToClose: { kind: 'median', count: 5, value: 121 },
      housingSecuredRate: { kind: 'share', numerator: 3, denominator: 5, value: 0.6 },
      // c1, c4, c6 own tenancy; c2 the default; c3 homeless
      byHousingAtClose: { ...zeros(HOUSING_AT_CLOSE), own_tenancy: 3, committed_housing: 1, homeless: 1 },
    });
  });

  it('even median: the mean of the two middle values', () => {
    // without c6: 31, 121, 136, 184 → (121 + 136) / 2 = 128.5; HousingSecured c1, c4 → 2 / 4
    const { c6: _left, ...rest } = closed;
    const block = stats(...Object.values(rest)).closures;
    expect(block.medianDaysApprovalToClose).toEqual({ kind: 'median', count: 4, value: 128.5 });
    expect(block.housingSecuredRate).toEqual({ kind: 'share', numerator: 2, denominator: 4, value: 0.5 });
  });
});
