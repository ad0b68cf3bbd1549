import type { Facts } from '../facts';
import { activity, factsOf, log, many, referral } from '../testing/history';

/** Test data for the report specs. Test-only. */

export const YEAR = 2024;
export const AS_OF = '2025-03-01T12:00:00.000Z';
export const GENERATED_AT = '2025-03-02T09:30:00.000Z';
/** Appears in ids only, which no report may show. */
export const PLANTED = 'PLANTED-7f3a9c';

/**
 * 2023: six households (with children) referred, helped, housing secured, closed in September;
 * the first is referred again in January 2024, within six months.
 * 2024: seven jobcenter referrals (with children) approved after 10 days, two self-referrals
 * without children (undecided), five rejected after 5 days; with the repeat referral, 15 in all.
 * Each jobcenter case agrees a help plan in March 2024 with the household: a housing goal for the
 * household itself, achieved in June (satisfied), and a rent goal for both, in progress (partly).
 * Activities beyond single cases: two in 2024 (one with two partners), one in 2023.
 */
export const reportFacts = (): Facts =>
  factsOf(
    log(
      ...many(6, `p-${PLANTED}-`, (id) =>
        referral(id, '2023-03-01', { householdId: `h-${id}` })
          .approved('2023-03-11', { assignedCaseworkerId: `cw-${PLANTED}` })
          .secured('2023-06-01')
          .closed('2023-09-30', { reason: 'goal_achieved', housingAtClose: 'own_tenancy' }),
      ),
      referral('again', '2024-01-15', { householdId: `h-p-${PLANTED}-1`, previousCaseId: `p-${PLANTED}-1` }),
      ...many(7, 'j', (id) =>
        referral(id, '2024-02-01', { referralSource: 'jobcenter' })
          .approved('2024-02-11')
          .planned('2024-03-01', {
            goals: [
              { goalId: `${id}-flat`, area: 'housing', actor: 'household', reviewOn: '2024-06-01' },
              { goalId: `${id}-rent`, area: 'rent_and_debts', actor: 'together', reviewOn: '2024-06-01' },
            ],
          })
          .reviewed('2024-06-03', { goalId: `${id}-flat`, status: 'achieved', householdView: 'satisfied' })
          .reviewed('2024-06-03', { goalId: `${id}-rent`, status: 'in_progress', householdView: 'partly' }),
      ),
      ...many(2, 's', (id) => referral(id, '2024-03-01', { referralSource: 'self', children: 0 })),
      ...many(5, 'o', (id) => referral(id, '2024-04-01', { children: 0 }).rejected('2024-04-06')),
    ),
    AS_OF,
    [
      activity(`a-${PLANTED}-1`, '2024-05-14', { partnerKinds: ['jobcenter', 'housing_company'], hours: 2.5, participants: 18 }),
      activity(`a-${PLANTED}-2`, '2024-09-02', {
        kind: 'landlord_acquisition',
        district: 'muelheim',
        partnerKinds: ['private_landlord'],
        hours: 1.25,
        participants: 4,
      }),
      activity(`a-${PLANTED}-3`, '2023-10-10', { kind: 'training', district: 'citywide', partnerKinds: [], hours: 6, participants: 1 }),
    ],
  );
