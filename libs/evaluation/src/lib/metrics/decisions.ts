import { REJECTION_REASONS, type RejectionReason } from '@wih/domain';
import { days } from '../calendar';
import { defineMetric } from '../metric';
import { breakdown, inPeriod, median } from '../raw';

/**
 * Approvals and rejections in the period; the median runs from receivedOn to the decision over
 * both kinds of decision. No secondary suppression between approved and rejected: no decisions
 * total is published, so neither can be worked out from the other.
 */
export const decisionsMetric = defineMetric({
  block: 'decisions',
  totals: { rejectedByReason: 'rejected' },
  compute: (cases, period) => {
    let approved = 0;
    const reasons: RejectionReason[] = [];
    const daysToDecision: number[] = [];
    for (const c of cases) {
      if (inPeriod(c.approvedOn, period)) {
        approved += 1;
        daysToDecision.push(days(c.receivedOn, c.approvedOn));
      }
      if (inPeriod(c.rejectedOn, period)) {
        reasons.push(c.rejectionReason ?? 'other');
        daysToDecision.push(days(c.receivedOn, c.rejectedOn));
      }
    }
    return {
      approved,
      rejected: reasons.length,
      rejectedByReason: breakdown(REJECTION_REASONS, reasons),
      medianDaysToDecision: median(daysToDecision),
    };
  },
});
