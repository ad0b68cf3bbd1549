import { REFERRAL_SOURCES, TARGET_GROUPS } from '@wih/domain';
import { defineMetric } from '../metric';
import { breakdown, inPeriod } from '../raw';

/** ReferralReceived in the period, by source and target group; withChildren = children > 0. */
export const referralsMetric = defineMetric({
  block: 'referrals',
  totals: { bySource: 'total', byTargetGroup: 'total' },
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
    };
  },
});
