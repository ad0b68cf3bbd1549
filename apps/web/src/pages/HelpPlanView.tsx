import type { CaseDetail } from '../api/schemas';
import { goalText } from '../forms/goals';
import { labelOf, t } from '../i18n';
import { formatDate } from '../i18n/format';

/**
 * The current help plan: each goal's wording (or why it is not shown), who acts, when it is
 * reviewed, its latest status and the household's view. A list, not a table: it reads on a phone.
 */
export function HelpPlanView({ detail }: { detail: CaseDetail }) {
  const p = t.plan;
  const plan = detail.helpPlan;
  if (!plan && detail.status !== 'active') return null;
  return (
    <section aria-labelledby="plan-title">
      <h2 id="plan-title">{p.title}</h2>
      {!plan && <p className="empty">{p.none}</p>}
      {plan && (
        <>
          <p>
            {p.agreedOn} {formatDate(plan.agreedOn)} · {p.participated}: {plan.householdParticipated ? t.common.yes : t.common.no}
            {detail.goalReviewDue && <strong className="badge badge-overdue">{p.reviewDue}</strong>}
          </p>
          <ol className="goals">
            {plan.goals.map((goal) => (
              <li key={goal.goalId} className="goal">
                <p className={typeof goal.wording === 'string' ? 'goal-wording' : 'goal-wording muted'}>{goalText(goal)}</p>
                <dl className="goal-facts">
                  <div>
                    <dt>{p.status}</dt>
                    <dd>
                      <span className={`badge badge-goal-${goal.status}`}>{labelOf('goalStatus', goal.status)}</span>
                    </dd>
                  </div>
                  <div>
                    <dt>{p.householdView}</dt>
                    <dd>{labelOf('householdView', goal.householdView)}</dd>
                  </div>
                  <div>
                    <dt>{p.area}</dt>
                    <dd>{labelOf('goalArea', goal.area)}</dd>
                  </div>
                  <div>
                    <dt>{p.actor}</dt>
                    <dd>{labelOf('goalActor', goal.actor)}</dd>
                  </div>
                  <div>
                    <dt>{p.reviewOn}</dt>
                    <dd>{formatDate(goal.reviewOn)}</dd>
                  </div>
                  <div>
                    <dt>{p.lastReviewedOn}</dt>
                    <dd>{formatDate(goal.lastReviewedOn)}</dd>
                  </div>
                </dl>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
