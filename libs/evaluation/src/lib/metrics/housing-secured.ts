import { HOUSING_OUTCOMES } from '@wih/domain';
import { defineMetric } from '../metric';
import { breakdown, inPeriod } from '../raw';

/** HousingSecured in the period (at most once per case), by outcome. */
export const housingSecuredMetric = defineMetric({
  block: 'housingSecured',
  totals: { byOutcome: 'total' },
  compute: (cases, period) => {
    const outcomes = cases.flatMap((c) =>
      inPeriod(c.housingSecured?.securedOn, period) && c.housingSecured ? [c.housingSecured.outcome] : [],
    );
    return { total: outcomes.length, byOutcome: breakdown(HOUSING_OUTCOMES, outcomes) };
  },
});
