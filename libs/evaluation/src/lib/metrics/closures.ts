import { CLOSING_REASONS, HOUSING_AT_CLOSE } from '@wih/domain';
import { days } from '../calendar';
import { defineMetric } from '../metric';
import { breakdown, inPeriod, median, share } from '../raw';

/**
 * CaseClosed in the period, by reason; duration of help; share of closures after HousingSecured;
 * housing at closing (goal 3 of the concept: no homelessness, above all for families).
 */
export const closuresMetric = defineMetric({
  block: 'closures',
  totals: { byReason: 'total', byHousingAtClose: 'total' },
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
      byHousingAtClose: breakdown(
        HOUSING_AT_CLOSE,
        closed.flatMap((c) => (c.closure ? [c.closure.housingAtClose] : [])),
      ),
    };
  },
});
