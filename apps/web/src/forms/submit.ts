import { useCallback, useRef, useState, type FormEvent } from 'react';
import { call, urlOf, type Init, type PathsWith } from '../api/client';
import { useIdempotencyKey } from '../api/hooks';
import { ApiError, describeError } from '../api/problem';
import type { CommandAnswer } from '../api/schemas';
import { t } from '../i18n';
import type { Errors, FieldValue, FormApi } from './form';

/** The command routes: a referral, and the commands on a case (`{id}`). */
export type CommandRoute = Extract<PathsWith<'post'>, '/api/cases' | `/api/cases/{id}/${string}`>;
type CommandBody<P extends CommandRoute> = NonNullable<Init<'post', P>['body']>;

export interface CommandSpec<V extends Record<string, FieldValue>, P extends CommandRoute> {
  form: FormApi<V>;
  route: P;
  /** The case a command on a case is for (the route's `{id}`). */
  caseId?: string;
  validate: (values: V) => Errors;
  /** The request body, as the route declares it. */
  toBody: (values: V) => CommandBody<P>;
  /** The case revision the form was opened at, sent as If-Match (none for a new referral). */
  revision?: number;
  /** API field names to form field names (`household.name` → `name`), where they differ. */
  fields?: Record<string, string>;
  onDone: (answer: CommandAnswer) => void;
  /** 412: the case changed meanwhile; answers its current revision after showing the new state. */
  onStale?: () => Promise<number | undefined>;
}

/**
 * Submits a command form: checks the input, sends it once per submission (Idempotency-Key,
 * If-Match), and turns the API's problems into a message and problems beside the fields. The
 * values are never reset on failure: what the person typed stays.
 */
export function useCommandSubmit<V extends Record<string, FieldValue>, P extends CommandRoute>(spec: CommandSpec<V, P>) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [openedAt, setOpenedAt] = useState(spec.revision);
  const inFlight = useRef(false);
  const { keyFor, done } = useIdempotencyKey();
  const specRef = useRef(spec);
  specRef.current = spec;

  const submit = useCallback(
    async (event?: FormEvent) => {
      event?.preventDefault();
      if (inFlight.current) return; // a double click sends nothing more
      const { form, route, caseId, validate, toBody, fields = {}, onDone, onStale } = specRef.current;
      const errors = validate(form.values);
      form.setErrors(errors);
      if (Object.keys(errors).length) return setMessage(null);
      const body = toBody(form.values);
      inFlight.current = true;
      setPending(true);
      setMessage(null);
      try {
        const path = caseId === undefined ? undefined : { id: caseId };
        const idempotencyKey = keyFor(urlOf(route, { path }), body);
        // Every command route takes this init (a test of the forms checks what is sent); TypeScript
        // cannot see that through the generic route, so it is said once here.
        const init = { path, body, ifMatch: openedAt, idempotencyKey } as unknown as Init<'post', P>;
        const answer = (await call('post', route, init)) as CommandAnswer;
        done();
        onDone(answer);
      } catch (error) {
        setMessage(describeError(error));
        if (error instanceof ApiError) {
          form.setErrors(
            Object.fromEntries(Object.entries(error.fieldErrors).map(([f, m]) => [fields[f] ?? f, `${t.validation.server} ${m}`])),
          );
          if (error.status === 412 && onStale) {
            const current = await onStale();
            if (current !== undefined) setOpenedAt(current);
          }
        }
      } finally {
        inFlight.current = false;
        setPending(false);
      }
    },
    [keyFor, done, openedAt],
  );

  return { submit, pending, message };
}
