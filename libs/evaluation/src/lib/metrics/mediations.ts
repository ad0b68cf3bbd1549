import { MEDIATION_KINDS } from '@wih/domain';
import { defineMetric } from '../metric';
import { breakdown, inPeriod } from '../raw';

/** HelpMediated in the period, by kind: a count of mediations, not of cases. */
export const mediationsMetric = defineMetric({
  block: 'mediations',
  totals: { byKind: 'total' },
  compute: (cases, period) => {
    const kinds = cases.flatMap((c) => c.mediations.filter((m) => inPeriod(m.mediatedOn, period)).map((m) => m.kind));
    return { total: kinds.length, byKind: breakdown(MEDIATION_KINDS, kinds) };
  },
});
