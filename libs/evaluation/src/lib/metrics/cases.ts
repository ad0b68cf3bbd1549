import type { CaseFacts } from '../facts';
import { defineMetric } from '../metric';
import type { Period } from '../raw';

/** In help at some time during the period: approved by its end and not closed before its start. */
export const servedIn = ({ approvedOn, closure }: CaseFacts, { from, to }: Period): boolean =>
  approvedOn !== null && approvedOn <= to && (closure === null || closure.closedOn >= from);

/**
 * Caseload at the edges of the period. "Open" means no CaseClosed known at asOf; a case closed
 * after `to` (but known at asOf) still counts as active at the end.
 */
export const casesMetric = defineMetric({
  block: 'cases',
  compute: (cases, { from, to }) => {
    let activeAtStart = 0;
    let activeAtEnd = 0;
    let served = 0;
    for (const c of cases) {
      if (c.approvedOn === null) continue;
      const closedOn = c.closure?.closedOn ?? null;
      if (c.approvedOn < from && (closedOn === null || closedOn >= from)) activeAtStart += 1;
      if (c.approvedOn <= to && (closedOn === null || closedOn > to)) activeAtEnd += 1;
      if (servedIn(c, { from, to })) served += 1;
    }
    return { activeAtStart, activeAtEnd, served };
  },
});
