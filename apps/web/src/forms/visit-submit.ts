import { useCallback, useRef, useState, type FormEvent } from 'react';
import { request, urlOf } from '../api/client';
import { useIdempotencyKey } from '../api/hooks';
import { ApiError, describeError } from '../api/problem';
import type { CaseDetail, CommandAnswer, GoalReviewBody, VisitBody } from '../api/schemas';
import { t } from '../i18n';
import type { CaseVisitValues } from './caseworker-forms';
import { reviewKey, reviewsIn } from './casework-validation';
import type { Errors, FormApi } from './form';
import { asCode } from './validate';

interface Spec {
  form: FormApi<CaseVisitValues>;
  detail: CaseDetail;
  validate: (values: CaseVisitValues) => Errors;
  visitBody: (values: CaseVisitValues) => VisitBody;
  onDone: (answer: CommandAnswer) => void;
  /** A step was saved but the form stays open (a review still to send): the page shows what is saved. */
  onProgress?: (answer: CommandAnswer) => void;
  onStale?: () => Promise<number | undefined>;
}

/**
 * One visit and its goal reviews, in that order: the visit first, then each review with the
 * revision the previous answer gave as If-Match and its own Idempotency-Key. A step that fails
 * stops the sequence; what was saved is not sent again, and the next submission goes on from the
 * failed step (same key when nothing changed, the current revision after a 412).
 */
export function useVisitWithReviews(spec: Spec) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [visit, setVisit] = useState<CommandAnswer | null>(null);
  const [reviewed, setReviewed] = useState<readonly string[]>([]);
  const progress = useRef({ revision: spec.detail.revision, visit: null as CommandAnswer | null, reviewed: [] as string[] });
  const inFlight = useRef(false);
  const { keyFor, done } = useIdempotencyKey();
  const specRef = useRef(spec);
  specRef.current = spec;

  const submit = useCallback(
    async (event?: FormEvent) => {
      event?.preventDefault();
      if (inFlight.current) return; // a double click sends nothing more
      const { form, detail, validate, visitBody, onDone, onProgress, onStale } = specRef.current;
      const errors = validate(form.values);
      form.setErrors(errors);
      if (Object.keys(errors).length) return setMessage(null);
      const p = progress.current;
      inFlight.current = true;
      setPending(true);
      setMessage(null);
      let step: { goalId: string; number: number } | null = null;
      let last = p.visit;
      try {
        if (!p.visit) {
          const path = { id: detail.caseId };
          const body = visitBody(form.values);
          const idempotencyKey = keyFor(urlOf('/api/cases/{id}/visits', { path }), body);
          last = await request('post', '/api/cases/{id}/visits', { path, body, ifMatch: p.revision, idempotencyKey });
          p.visit = last;
          p.revision = last.revision;
          setVisit(last);
        }
        // Reviews are dated with the visit as it was saved (its fields are locked once it is).
        const visitedOn = String(form.values.visitedOn);
        for (const { goal, number } of reviewsIn(form.values, detail.helpPlan).filter(({ goal }) => !p.reviewed.includes(goal.goalId))) {
          step = { goalId: goal.goalId, number };
          const path = { id: detail.caseId };
          const body: GoalReviewBody = {
            reviewedOn: visitedOn,
            goalId: goal.goalId,
            status: asCode('goalStatus', String(form.values[reviewKey(goal.goalId, 'status')])),
            householdView: asCode('householdView', String(form.values[reviewKey(goal.goalId, 'householdView')])),
          };
          const idempotencyKey = keyFor(urlOf('/api/cases/{id}/goal-reviews', { path }), body);
          last = await request('post', '/api/cases/{id}/goal-reviews', { path, body, ifMatch: p.revision, idempotencyKey });
          p.revision = last.revision;
          p.reviewed = [...p.reviewed, goal.goalId];
          setReviewed(p.reviewed);
        }
        done();
        if (last) onDone(last);
      } catch (error) {
        const reason = describeError(error);
        setMessage(step ? t.reviews.refused(step.number, reason) : reason);
        if (last && p.visit) onProgress?.(last);
        if (error instanceof ApiError) {
          const goalId = step?.goalId;
          const field = (name: string) =>
            goalId === undefined
              ? name
              : name === 'reviewedOn'
                ? 'visitedOn'
                : name === 'status' || name === 'householdView'
                  ? reviewKey(goalId, name)
                  : name;
          form.setErrors(Object.fromEntries(Object.entries(error.fieldErrors).map(([f, m]) => [field(f), `${t.validation.server} ${m}`])));
          if (error.status === 412 && onStale) {
            const current = await onStale();
            if (current !== undefined) p.revision = current;
          }
        }
      } finally {
        inFlight.current = false;
        setPending(false);
      }
    },
    [keyFor, done],
  );

  return { submit, pending, message, visit, reviewed };
}
