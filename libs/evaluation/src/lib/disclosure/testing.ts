import {
  CLOSING_REASONS,
  EXTENSION_REASONS,
  GOAL_ACTORS,
  GOAL_AREAS,
  HOUSEHOLD_VIEWS,
  HOUSING_AT_CLOSE,
  HOUSING_OUTCOMES,
  HOUSING_SITUATIONS,
  INSTITUTION_KINDS,
  MEDIATION_KINDS,
  REFERRAL_SOURCES,
  REJECTION_REASONS,
  TARGET_GROUPS,
  THREAT_CAUSES,
  VISIT_CONCERNS,
} from '@wih/domain';
import fc from 'fast-check';
import { isRawMedian, isRawShare } from '../raw';
import type { RawStatistics } from '../statistics';
import { referral, type CaseHistory } from '../testing/history';
import { MIN_PUBLISHED, isSmall, walkAnswer, type PublishedFigure } from './table';

/** Test-only: random histories and the publications an attacker is shown. */

const DAY = 86_400_000;
const dateAfter = (start: string, days: number): string =>
  new Date(Date.parse(`${start}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** One random case from 2023 to mid 2025, with a plausible order of events; households sometimes return. */
const caseArbitrary = fc.record({
  received: fc.integer({ min: 0, max: 900 }),
  source: fc.constantFrom(...REFERRAL_SOURCES.slice(0, 5)),
  group: fc.constantFrom(...TARGET_GROUPS),
  situation: fc.constantFrom(...HOUSING_SITUATIONS),
  // multi-valued, maybe empty: the cells of these breakdowns do not add up to their total
  causes: fc.subarray([...THREAT_CAUSES.slice(0, 4)]),
  children: fc.constantFrom(0, 0, 1, 2),
  decision: fc.constantFrom('approved', 'approved', 'approved', 'rejected', 'pending'),
  decideAfter: fc.integer({ min: 0, max: 40 }),
  rejection: fc.constantFrom(...REJECTION_REASONS),
  visits: fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.subarray([...VISIT_CONCERNS.slice(0, 3)])), { maxLength: 4 }),
  mediations: fc.array(
    fc.tuple(
      fc.integer({ min: 1, max: 90 }),
      fc.constantFrom(...MEDIATION_KINDS.slice(0, 4)),
      fc.constantFrom(null, ...INSTITUTION_KINDS.slice(0, 3)),
    ),
    { maxLength: 2 },
  ),
  extensions: fc.array(fc.tuple(fc.integer({ min: 30, max: 300 }), fc.constantFrom(...EXTENSION_REASONS)), { maxLength: 2 }),
  secured: fc.option(fc.tuple(fc.integer({ min: 10, max: 200 }), fc.constantFrom(...HOUSING_OUTCOMES)), { nil: null }),
  closed: fc.option(
    fc.tuple(fc.integer({ min: 20, max: 400 }), fc.constantFrom(...CLOSING_REASONS.slice(1, 5)), fc.constantFrom(...HOUSING_AT_CLOSE)),
    { nil: null },
  ),
  goalAchieved: fc.boolean(),
  // help plans: each agreed some days after the one before (the approval for the first), with its
  // reviews in the days after, until the next plan or the closing
  plans: fc.array(
    fc.record({
      after: fc.integer({ min: 0, max: 120 }),
      participated: fc.boolean(),
      goals: fc.array(fc.tuple(fc.constantFrom(...GOAL_AREAS.slice(0, 3)), fc.constantFrom(...GOAL_ACTORS)), {
        minLength: 1,
        maxLength: 3,
      }),
      reviews: fc.array(
        fc.tuple(
          fc.nat({ max: 2 }),
          fc.integer({ min: 0, max: 60 }),
          fc.constantFrom('in_progress' as const, 'achieved' as const, 'achieved' as const, 'dropped' as const),
          fc.constantFrom(...HOUSEHOLD_VIEWS),
        ),
        { maxLength: 4 },
      ),
    }),
    { maxLength: 2 },
  ),
  household: fc.integer({ min: 0, max: 400 }),
});

export type RandomCase = typeof caseArbitrary extends fc.Arbitrary<infer T> ? T : never;

const toHistory = (c: RandomCase, i: number): CaseHistory => {
  const receivedOn = dateAfter('2023-01-01', c.received);
  const h = referral(`case-${i}`, receivedOn, {
    householdId: `hh-${c.household}`,
    referralSource: c.source,
    targetGroup: c.group,
    children: c.children,
    housingSituation: c.situation,
    threatCauses: c.causes,
  });
  const decidedOn = dateAfter(receivedOn, c.decideAfter);
  if (c.decision === 'rejected') return h.rejected(decidedOn, { reason: c.rejection });
  if (c.decision === 'pending') return h;
  h.approved(decidedOn);
  const closedOn = c.closed ? dateAfter(decidedOn, c.closed[0]) : null;
  const before = (on: string) => closedOn === null || on <= closedOn;
  let visitedOn = decidedOn;
  for (const [gap, concerns] of c.visits) {
    visitedOn = dateAfter(visitedOn, gap);
    if (before(visitedOn)) h.visit(visitedOn, { concerns });
  }
  for (const [after, kind, institutionKind] of c.mediations)
    if (before(dateAfter(decidedOn, after))) h.mediated(dateAfter(decidedOn, after), { kind, institutionKind });
  for (const [after, reason] of c.extensions) if (before(dateAfter(decidedOn, after))) h.extended(dateAfter(decidedOn, after), { reason });
  let agreedOn = decidedOn;
  c.plans.forEach((plan, p) => {
    agreedOn = dateAfter(agreedOn, plan.after);
    if (!before(agreedOn)) return;
    const goals = plan.goals.map(([area, actor], g) => ({ goalId: `p${p}-g${g}`, area, actor, reviewOn: agreedOn }));
    h.planned(agreedOn, { goals, householdParticipated: plan.participated });
    // the domain's rules: a review after the agreement, before the next plan and the closing, none once settled
    const next = c.plans[p + 1] ? dateAfter(agreedOn, c.plans[p + 1].after) : null;
    const settled = new Set<string>();
    let reviewedOn = agreedOn;
    for (const [g, gap, status, householdView] of plan.reviews) {
      reviewedOn = dateAfter(reviewedOn, gap);
      const { goalId } = goals[g % goals.length];
      if (!before(reviewedOn) || (next !== null && reviewedOn > next) || settled.has(goalId)) continue;
      h.reviewed(reviewedOn, { goalId, status, householdView });
      if (status !== 'in_progress') settled.add(goalId);
    }
  });
  const securedOn = c.secured ? dateAfter(decidedOn, c.secured[0]) : null;
  const secured = securedOn !== null && before(securedOn);
  if (secured && c.secured) h.secured(securedOn as string, { outcome: c.secured[1] });
  if (c.closed && closedOn) {
    h.closed(closedOn, { reason: secured && c.goalAchieved ? 'goal_achieved' : c.closed[1], housingAtClose: c.closed[2] });
  }
  return h;
};

/**
 * Random histories of 5 to `max` cases. Households are drawn from a pool, so some return; a
 * returning household's cases may overlap in date, which the statistics take as they come.
 */
export const historiesArbitrary = (max = 60): fc.Arbitrary<CaseHistory[]> =>
  fc.array(caseArbitrary, { minLength: 5, maxLength: max }).map((cases) => cases.map(toHistory));

/** Periods and asOf instants the property tests ask for. */
export const requestArbitrary = fc
  .record({
    from: fc.constantFrom('2023-01-01', '2023-07-01', '2024-01-01', '2024-04-01'),
    months: fc.constantFrom(3, 6, 12),
    asOf: fc.constantFrom('2024-06-30T12:00:00.000Z', '2025-03-31T12:00:00.000Z', '2026-12-31T12:00:00.000Z'),
  })
  .map(({ from, months, asOf }) => {
    const [y, m] = from.split('-').map(Number);
    const end = new Date(Date.UTC(y, m - 1 + months, 0)).toISOString().slice(0, 10);
    return { from, to: end, asOf };
  });

/**
 * The primary rules alone. Where the counter-examples use it, the rule before this audit (one more
 * cell only when exactly one cell of a breakdown was hidden) published the same.
 */
export function primaryOnly(raw: RawStatistics): Map<string, PublishedFigure> {
  const figures = new Map<string, PublishedFigure>();
  walkAnswer({ prefix: '', raw }, (path, _relative, value) => {
    if (typeof value === 'number') figures.set(path, isSmall(value) ? '<5' : value);
    else if (isRawShare(value)) figures.set(path, value.denominator < MIN_PUBLISHED || isSmall(value.numerator) ? null : value.value);
    else if (isRawMedian(value)) figures.set(path, value.count < MIN_PUBLISHED ? null : value.value);
  });
  return figures;
}
