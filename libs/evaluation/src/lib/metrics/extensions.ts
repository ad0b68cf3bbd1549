import { EXTENSION_REASONS } from '@wih/domain';
import { defineMetric } from '../metric';
import { breakdown, inPeriod } from '../raw';

/** HelpPeriodExtended with extendedOn in the period, by reason: a count of extensions (a case may have several). */
export const extensionsMetric = defineMetric({
  block: 'extensions',
  totals: { byReason: 'total' },
  compute: (cases, period) => {
    const reasons = cases.flatMap((c) => c.extensions.filter((e) => inPeriod(e.extendedOn, period)).map((e) => e.reason));
    return { total: reasons.length, byReason: breakdown(EXTENSION_REASONS, reasons) };
  },
});
