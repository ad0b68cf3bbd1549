import { CLOSING_REASONS } from '@wih/domain';
import { days } from '../calendar';
import { defineMetric } from '../metric';
import { breakdown, inPeriod, median, share } from '../raw';

/** CaseClosed in the period, by reason; duration of help; share of closures after HousingSecured. */
export const closuresMetric = defineMetric({
  block: 'closures',
  totals: { byReason: 'total' },
  compute: (cases, period) => {
    const closed = cases.filter((c) => inPeriod(c.closure?.closedOn, period));
    const durations = closed.flatMap((c) => (c.approvedOn && c.closure ? [days(c.approvedOn, c.closure.closedOn)] : []));
    return {
      total: closed.length,
      byReason: breakdown(
        CLOSING_REASONS,
        closed.flatMap((c) => (c.closure ? [c.closure.reason] : [])),
      ),
      medianDaysApprovalToClose: median(durations),
      housingSecuredRate: share(closed.filter((c) => c.housingSecured !== null).length, closed.length),
    };
  },
});
