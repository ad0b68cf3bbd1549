import { HOUSING_SITUATIONS, REFERRAL_SOURCES, TARGET_GROUPS, THREAT_CAUSES } from '@wih/domain';
import { defineMetric } from '../metric';
import { breakdown, inPeriod } from '../raw';

/**
 * ReferralReceived in the period, by source, target group and housing situation; withChildren =
 * children > 0. byThreatCause counts the referrals naming each cause: several per referral, or
 * none, so its cells do not add up to the total.
 */
export const referralsMetric = defineMetric({
  block: 'referrals',
  totals: { bySource: 'total', byTargetGroup: 'total', byHousingSituation: 'total' },
  subsets: { byThreatCause: 'total' },
  compute: (cases, period) => {
    const received = cases.filter((c) => inPeriod(c.receivedOn, period));
    return {
      total: received.length,
      bySource: breakdown(
        REFERRAL_SOURCES,
        received.map((c) => c.referralSource),
      ),
      byTargetGroup: breakdown(
        TARGET_GROUPS,
        received.map((c) => c.targetGroup),
      ),
      withChildren: received.filter((c) => c.withChildren).length,
      byHousingSituation: breakdown(
        HOUSING_SITUATIONS,
        received.map((c) => c.housingSituation),
      ),
      // the facts list each cause once per referral
      byThreatCause: breakdown(
        THREAT_CAUSES,
        received.flatMap((c) => c.threatCauses),
      ),
    };
  },
});
