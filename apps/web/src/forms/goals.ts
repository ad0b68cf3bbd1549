import type { PlanGoal } from '../api/schemas';
import { t } from '../i18n';

/** A goal that may still be reviewed (achieved and dropped goals are settled, decision 0023). */
export const isOpenGoal = (goal: Pick<PlanGoal, 'status'>) => goal.status !== 'achieved' && goal.status !== 'dropped';
export const wordingOf = (goal: PlanGoal): string | null => (typeof goal.wording === 'string' ? goal.wording : null);
/** A goal's wording as the reader may see it: the text, or why it is not shown (erased, or withheld while restricted). */
export const goalText = (goal: PlanGoal) =>
  typeof goal.wording === 'string' ? goal.wording : 'restricted' in goal.wording ? t.plan.restricted : t.plan.erased;
