import { VISIT_CONCERNS, type VisitConcern } from '@wih/domain';
import { days } from '../calendar';
import type { CaseFacts } from '../facts';
import { defineMetric } from '../metric';
import { breakdown, inPeriod, share, type Period } from '../raw';

interface Tally {
  total: number;
  met: number;
  onTime: number;
  concerns: VisitConcern[];
}

/**
 * A visit is on time when the gap to the case's previous visit (by visitedOn, whether or not the
 * household was met; the approval date for the first) is at most the visit interval. Earlier
 * visits outside the period still serve as the previous visit.
 */
const tallyCase = (c: CaseFacts, period: Period, tally: Tally): void => {
  let previous = c.approvedOn;
  for (const visit of c.visits) {
    if (inPeriod(visit.visitedOn, period)) {
      tally.total += 1;
      if (visit.householdMet) tally.met += 1;
      tally.concerns.push(...visit.concerns);
      if (previous !== null && c.visitIntervalDays !== null && days(previous, visit.visitedOn) <= c.visitIntervalDays) {
        tally.onTime += 1;
      }
    }
    previous = visit.visitedOn;
  }
};

/**
 * HomeVisitRecorded in the period: a count of visits, not of cases. byConcern counts the visits
 * naming each concern: several per visit, or none, so its cells do not add up to the total.
 */
export const visitsMetric = defineMetric({
  block: 'visits',
  subsets: { byConcern: 'total' },
  compute: (cases, period) => {
    const tally: Tally = { total: 0, met: 0, onTime: 0, concerns: [] };
    for (const c of cases) tallyCase(c, period, tally);
    return {
      total: tally.total,
      householdMetShare: share(tally.met, tally.total),
      onTimeShare: share(tally.onTime, tally.total),
      // the facts list each concern once per visit
      byConcern: breakdown(VISIT_CONCERNS, tally.concerns),
    };
  },
});
