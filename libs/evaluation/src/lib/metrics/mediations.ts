import { INSTITUTION_KINDS, MEDIATION_KINDS } from '@wih/domain';
import { defineMetric } from '../metric';
import { breakdown, inPeriod } from '../raw';

/** The cell of mediations recorded without an institution kind (the field is optional), so that the cells add up to the total. */
export const NOT_RECORDED = 'not_recorded';

/** HelpMediated in the period, by kind and by institution kind: a count of mediations, not of cases. */
export const mediationsMetric = defineMetric({
  block: 'mediations',
  totals: { byKind: 'total', byInstitutionKind: 'total' },
  compute: (cases, period) => {
    const mediations = cases.flatMap((c) => c.mediations.filter((m) => inPeriod(m.mediatedOn, period)));
    return {
      total: mediations.length,
      byKind: breakdown(
        MEDIATION_KINDS,
        mediations.map((m) => m.kind),
      ),
      byInstitutionKind: breakdown(
        [...INSTITUTION_KINDS, NOT_RECORDED],
        mediations.map((m) => m.institutionKind ?? NOT_RECORDED),
      ),
    };
  },
});
