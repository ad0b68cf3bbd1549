import { GOAL_ACTORS, GOAL_AREAS } from '@wih/domain';

/**
 * The identities that always hold between the figures of one statistics answer (DOMAIN.md, "The
 * audit"), besides each breakdown summing to its total (declared by the metrics' `totals`). Paths
 * are relative to a scope (all households, or those with children); a path that names no figure
 * fails the table's construction, so a renamed figure cannot silently drop an identity.
 */

/** Σ left = Σ right ('eq') or Σ left ≤ Σ right ('le'). */
export interface Identity {
  readonly left: readonly string[];
  readonly op: 'eq' | 'le';
  readonly right: readonly string[];
}

const eq = (left: string[], right: string[]): Identity => ({ left, op: 'eq', right });
const le = (left: string[], right: string[]): Identity => ({ left, op: 'le', right });

/** A share's unpublished numerator is an unknown of its own (its path + this suffix). */
export const NUMERATOR = '#numerator';

const WINDOWS = ['6m', '12m', '24m'] as const;

// The help plan's achieved shares, one per area and per actor (decision 0029).
const ACHIEVED = (['Area', 'Actor'] as const).flatMap((by) =>
  (by === 'Area' ? GOAL_AREAS : GOAL_ACTORS).map((code) => ({
    by,
    share: `helpPlans.achievedShareBy${by}.${code}`,
    achieved: `helpPlans.achievedBy${by}.${code}`,
    settled: `helpPlans.settledBy${by}.${code}`,
  })),
);
const achievedBy = (by: 'Area' | 'Actor') => ACHIEVED.filter((a) => a.by === by).map(({ achieved }) => achieved);

/**
 * Which counts a share divides. A share without a numerator cell counts something unpublished
 * (e.g. closures after HousingSecured): the attacker learns that count exactly when the share and
 * its denominator are published.
 */
export const SHARES: Readonly<Record<string, { readonly numerator?: string; readonly denominator: string }>> = {
  'visits.householdMetShare': { denominator: 'visits.total' },
  'visits.onTimeShare': { denominator: 'visits.total' },
  'closures.housingSecuredRate': { denominator: 'closures.total' },
  ...Object.fromEntries(
    WINDOWS.map((w) => [`repeatCases.${w}.share`, { numerator: `repeatCases.${w}.repeated`, denominator: `repeatCases.${w}.eligible` }]),
  ),
  ...Object.fromEntries(ACHIEVED.map(({ share, achieved, settled }) => [share, { numerator: achieved, denominator: settled }])),
};

/** The counts whose sum a median rests on: a published median says it is at least 5, a withheld one less. */
export const MEDIANS: Readonly<Record<string, readonly string[]>> = {
  'decisions.medianDaysToDecision': ['decisions.approved', 'decisions.rejected'],
  'closures.medianDaysApprovalToClose': ['closures.total'],
};

const securedClosures = `closures.housingSecuredRate${NUMERATOR}`;

export const SCOPE_IDENTITIES: readonly Identity[] = [
  // served = activeAtStart + approved in the period = activeAtEnd + closed in the period
  eq(['cases.served'], ['cases.activeAtStart', 'decisions.approved']),
  eq(['cases.served'], ['cases.activeAtEnd', 'closures.total']),
  // goal_achieved needs HousingSecured; the repeat-case cohort is the closures after HousingSecured
  le(['closures.byReason.goal_achieved'], [securedClosures]),
  le([securedClosures], ['closures.total']),
  le(['repeatCases.6m.eligible'], [securedClosures]),
  // a window complete for 24 months is complete for 12 and for 6
  le(['repeatCases.24m.eligible'], ['repeatCases.12m.eligible']),
  le(['repeatCases.12m.eligible'], ['repeatCases.6m.eligible']),
  ...WINDOWS.map((w) => le([`repeatCases.${w}.repeated`], [`repeatCases.${w}.eligible`])),
  le(['visits.householdMetShare#numerator'], ['visits.total']),
  le(['visits.onTimeShare#numerator'], ['visits.total']),
  // help plans: a case with a plan is served; a participation is a plan; a settled goal was reviewed
  // (its settling review is its last); the achieved goals by area and by actor are the achieved ones
  le(['helpPlans.casesWithPlan'], ['cases.served']),
  le(['helpPlans.householdParticipated'], ['helpPlans.plansAgreed']),
  // a plan has 1 to 20 goals: plans ≤ their goals (the bound of 20 per plan is left out: weak, and
  // identities have unit coefficients)
  le(['helpPlans.plansAgreed'], ['helpPlans.goalsAgreed']),
  le(['helpPlans.goalsSettled'], ['helpPlans.goalsReviewed']),
  ...ACHIEVED.map(({ achieved, settled }) => le([achieved], [settled])),
  eq(achievedBy('Area'), ['helpPlans.settledByStatus.achieved']),
  eq(achievedBy('Actor'), ['helpPlans.settledByStatus.achieved']),
];

/**
 * Between the two scopes (besides every count with children being at most the same count for
 * all households): the referrals with children are the withChildren block's referrals.
 */
export const CHILDREN_IDENTITIES: readonly { readonly all: string; readonly withChildren: string }[] = [
  { all: 'referrals.withChildren', withChildren: 'referrals.total' },
];
/** Within the withChildren block every referral has children. */
export const WITH_CHILDREN_ONLY: readonly Identity[] = [eq(['referrals.withChildren'], ['referrals.total'])];
