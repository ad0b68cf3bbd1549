import { useCallback, useRef, useState, type FormEvent } from 'react';
import { request, urlOf } from '../api/client';
import { useIdempotencyKey } from '../api/hooks';
import { ApiError, describeError } from '../api/problem';
import type { CaseDetail, CommandAnswer, GoalReviewBody, VisitBody } from '../api/schemas';
import { t } from '../i18n';
import { useOutbox } from '../outbox/OutboxProvider';
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
  /** Without an answer everything still to send waits in the outbox (decision 0040); the text says what. */
  onQueued?: (text: string) => void;
}

/**
 * One visit and its goal reviews, in that order: the visit first, then each review with the
 * revision the previous answer gave as If-Match and its own Idempotency-Key. A step that fails
 * stops the sequence; what was saved is not sent again, and the next submission goes on from the
 * failed step (same key when nothing changed, the current revision after a 412).
 *
 * Offline (or behind entries still waiting), and when a step gets no answer at all, every step not
 * yet saved goes into the outbox instead, in the same order, each as its own entry with its own
 * Idempotency-Key and the revision the form is at: the outbox sends a case's later entries with the
 * revision the earlier one produced. The one that got no answer keeps the key it was sent with.
 */
export function useVisitWithReviews(spec: Spec) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [visit, setVisit] = useState<CommandAnswer | null>(null);
  const [reviewed, setReviewed] = useState<readonly string[]>([]);
  const [queued, setQueued] = useState<string | null>(null);
  // `queued`: the steps already in the outbox ('visit', goal ids), should storing a later one fail.
  const progress = useRef({
    revision: spec.detail.revision,
    visit: null as CommandAnswer | null,
    reviewed: [] as string[],
    queued: [] as string[],
  });
  const outbox = useOutbox();
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
      const path = { id: detail.caseId };
      const visitUrl = urlOf('/api/cases/{id}/visits', { path });
      const reviewUrl = urlOf('/api/cases/{id}/goal-reviews', { path });
      // Reviews are dated with the visit as it was saved (its fields are locked once it is).
      const visitedOn = String(form.values.visitedOn);
      const reviews = reviewsIn(form.values, detail.helpPlan)
        .filter(({ goal }) => !p.reviewed.includes(goal.goalId))
        .map(({ goal, number }) => {
          const body: GoalReviewBody = {
            reviewedOn: visitedOn,
            goalId: goal.goalId,
            status: asCode('goalStatus', String(form.values[reviewKey(goal.goalId, 'status')])),
            householdView: asCode('householdView', String(form.values[reviewKey(goal.goalId, 'householdView')])),
          };
          return { goalId: goal.goalId, number, body };
        });
      const r = t.reviews;
      /** Everything not yet saved into the outbox, in order; keyFor answers the key a step was just sent with. */
      const queue = async () => {
        if (!outbox) return;
        const steps = [
          ...(p.visit ? [] : [{ id: 'visit', url: visitUrl, body: visitBody(form.values) as unknown }]),
          ...reviews.map((r) => ({ id: r.goalId, url: reviewUrl, body: r.body as unknown })),
        ].filter((step) => !p.queued.includes(step.id));
        try {
          for (const step of steps) {
            await outbox.enqueue({
              path: step.url,
              body: step.body,
              expectedRevision: p.revision,
              idempotencyKey: keyFor(step.url, step.body),
            });
            p.queued = [...p.queued, step.id];
          }
        } catch {
          return setMessage(t.outbox.storeFailed);
        }
        done();
        const waiting = reviews.length;
        const text = p.visit ? r.queuedAfterVisit(waiting) : waiting ? r.queued(waiting) : t.outbox.queued;
        setQueued(text);
        if (p.visit) specRef.current.onProgress?.(p.visit);
        specRef.current.onQueued?.(text);
      };
      inFlight.current = true;
      setPending(true);
      setMessage(null);
      setQueued(null);
      let step: { goalId: string; number: number } | null = null;
      let last = p.visit;
      try {
        // Offline, or behind entries still waiting (which must be recorded first): into the outbox.
        if (outbox && (!navigator.onLine || outbox.hasWaiting() || p.queued.length > 0)) {
          await queue();
          if (navigator.onLine) void outbox.flush();
          return;
        }
        if (!p.visit) {
          const body = visitBody(form.values);
          const idempotencyKey = keyFor(visitUrl, body);
          last = await request('post', '/api/cases/{id}/visits', { path, body, ifMatch: p.revision, idempotencyKey });
          p.visit = last;
          p.revision = last.revision;
          setVisit(last);
        }
        for (const review of reviews) {
          step = review;
          const idempotencyKey = keyFor(reviewUrl, review.body);
          last = await request('post', '/api/cases/{id}/goal-reviews', { path, body: review.body, ifMatch: p.revision, idempotencyKey });
          p.revision = last.revision;
          p.reviewed = [...p.reviewed, review.goalId];
          setReviewed(p.reviewed);
        }
        done();
        if (last) onDone(last);
      } catch (error) {
        // No answer at all: the step may or may not have arrived; the outbox resends it with the same key.
        if (outbox && error instanceof ApiError && error.status === 0) return await queue();
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
    [keyFor, done, outbox],
  );

  return { submit, pending, message, visit, reviewed, queued };
}
