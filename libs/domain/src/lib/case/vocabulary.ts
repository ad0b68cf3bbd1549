/**
 * The enumerations of DOMAIN.md. Codes are stable (they are stored in events and sent over
 * HTTP); labels live with the UI. The arrays drive both the types and the edge validation.
 */
export const REFERRAL_SOURCES = [
  'self',
  'free_provider',
  'housing_company',
  'private_landlord',
  'jobcenter',
  'social_office',
  'senior_counselling',
  'asd',
  'fachstelle_wohnen',
  'social_space_coordination',
  'parish',
  'other',
] as const;
export const TARGET_GROUPS = ['recommitted', 'committed_vacant', 'prevention_aftercare'] as const;
export const HOUSING_SITUATIONS = ['seized_flat', 'committed_housing', 'own_tenancy_at_risk', 'other'] as const;
export const THREAT_CAUSES = [
  'rent_arrears',
  'tenancy_behaviour',
  'eviction_suit',
  'income_problems',
  'family_crisis',
  'health',
  'other',
] as const;
export const EXISTING_AID = ['sgb_xii_67', 'sgb_xii_53', 'sgb_viii'] as const;
export const VISIT_CONCERNS = ['economic', 'family', 'tenancy', 'health', 'other'] as const;
export const MEDIATION_KINDS = [
  'landlord',
  'jobcenter',
  'landlord_negotiation',
  'debt_counselling',
  'addiction_help',
  'family_help',
  'senior_counselling',
  'sgb_xii_67',
  'other',
] as const;
/** Not enumerated by DOMAIN.md; a closed list keeps free text (personal data) out of the facts. */
export const INSTITUTION_KINDS = [
  'private_landlord',
  'housing_company',
  'jobcenter',
  'social_office',
  'youth_office',
  'health_service',
  'counselling_service',
  'court',
  'utility_company',
  'other',
] as const;
export const REJECTION_REASONS = ['comparable_aid_installed', 'not_target_group', 'declined_by_household', 'other'] as const;
export const HOUSING_OUTCOMES = ['tenancy_preserved', 'own_tenancy_agreement', 'other'] as const;
/** Not enumerated by DOMAIN.md; an extension reason is a non-personal fact, so it is a code. */
export const EXTENSION_REASONS = ['goal_not_yet_reached', 'housing_search_ongoing', 'new_crisis', 'other'] as const;
export const CLOSING_REASONS = [
  'goal_achieved',
  'time_limit_reached',
  'consent_withdrawn',
  'unreachable',
  'moved_away',
  'transferred_to_other_aid',
  'other',
] as const;
export const HOUSING_AT_CLOSE = ['own_tenancy', 'committed_housing', 'homeless', 'unknown'] as const;

/** The help plan (DOMAIN.md "The help plan"): where a goal lies, who acts, how far it is, what the household thinks. */
export const GOAL_AREAS = ['housing', 'rent_and_debts', 'income_and_benefits', 'family', 'health', 'daily_living', 'other'] as const;
export const GOAL_ACTORS = ['household', 'caseworker', 'together', 'other_service'] as const;
export const GOAL_STATUSES = ['open', 'in_progress', 'achieved', 'dropped'] as const;
/** A goal in one of these is settled: it is not reviewed again and its id is not reused (decision 0023). */
export const SETTLED_GOAL_STATUSES = ['achieved', 'dropped'] as const;
export const HOUSEHOLD_VIEWS = ['satisfied', 'partly', 'not_satisfied', 'not_asked'] as const;
/** Why the household's details changed (DOMAIN.md "Personal data", the household's rights; decision 0030). */
export const DETAILS_CHANGE_REASONS = ['moved', 'new_phone', 'correction'] as const;
/** Why processing is restricted: the cases of Art. 18(1)(a)–(d) DSGVO, as codes (free text would be personal data). */
export const RESTRICTION_REASONS = ['accuracy_contested', 'unlawful_processing', 'needed_for_legal_claims', 'objection_pending'] as const;
/** The household details a change may replace: which of them changed is a fact, their values are personal. */
export const HOUSEHOLD_DETAIL_FIELDS = ['name', 'address', 'phone'] as const;

export type ReferralSource = (typeof REFERRAL_SOURCES)[number];
export type TargetGroup = (typeof TARGET_GROUPS)[number];
export type HousingSituation = (typeof HOUSING_SITUATIONS)[number];
export type ThreatCause = (typeof THREAT_CAUSES)[number];
export type ExistingAid = (typeof EXISTING_AID)[number];
export type VisitConcern = (typeof VISIT_CONCERNS)[number];
export type MediationKind = (typeof MEDIATION_KINDS)[number];
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];
export type RejectionReason = (typeof REJECTION_REASONS)[number];
export type HousingOutcome = (typeof HOUSING_OUTCOMES)[number];
export type ExtensionReason = (typeof EXTENSION_REASONS)[number];
export type ClosingReason = (typeof CLOSING_REASONS)[number];
export type HousingAtClose = (typeof HOUSING_AT_CLOSE)[number];
export type GoalArea = (typeof GOAL_AREAS)[number];
export type GoalActor = (typeof GOAL_ACTORS)[number];
export type GoalStatus = (typeof GOAL_STATUSES)[number];
// Not "HouseholdView": the read models name the household's contact details so.
export type HouseholdGoalView = (typeof HOUSEHOLD_VIEWS)[number];
export type DetailsChangeReason = (typeof DETAILS_CHANGE_REASONS)[number];
export type RestrictionReason = (typeof RESTRICTION_REASONS)[number];
export type HouseholdDetailField = (typeof HOUSEHOLD_DETAIL_FIELDS)[number];

export const isSettledGoalStatus = (status: GoalStatus): boolean => (SETTLED_GOAL_STATUSES as readonly GoalStatus[]).includes(status);

// Rule 2's limits and the user id's shape are shared with the web UI, which imports no domain code.
export { HELP_PERIOD_MONTHS, HELP_PLAN, USER_ID, VISIT_INTERVAL } from '@wih/vocabulary';
