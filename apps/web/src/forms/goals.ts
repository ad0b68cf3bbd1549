import type { PlanGoal } from '../api/schemas';
import { t } from '../i18n';

/**
 * A goal's wording as the API answers it. The document declares `string | Erased`, but while
 * processing is restricted a caseworker reads `{restricted: true}` (decision 0030), which the
 * CaseDetail schema does not declare yet; until docs/openapi.json does (and so schema.d.ts), this
 * is the one place that says so. Remove the union once the generated type has it.
 */
type Wording = PlanGoal['wording'] | { restricted: true };

/** A goal that may still be reviewed (achieved and dropped goals are settled, decision 0023). */
export const isOpenGoal = (goal: Pick<PlanGoal, 'status'>) => goal.status !== 'achieved' && goal.status !== 'dropped';
export const wordingOf = (goal: PlanGoal): string | null => (typeof goal.wording === 'string' ? goal.wording : null);
/** A goal's wording as the reader may see it: the text, or why it is not shown. */
export const goalText = (goal: PlanGoal) => {
  const wording: Wording = goal.wording;
  return typeof wording === 'string' ? wording : 'restricted' in wording ? t.plan.restricted : t.plan.erased;
};
