import { useCallback, useRef, useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useIdempotencyKey } from '../api/hooks';
import { ApiError, describeError } from '../api/problem';
import type { CommandAnswer } from '../api/types';
import { t } from '../i18n';
import type { Errors, FieldValue, FormApi } from './form';

export interface CommandSpec<V extends Record<string, FieldValue>, B, A = CommandAnswer> {
  form: FormApi<V>;
  path: string;
  /** POST by default; DELETE sends no body (toBody answers undefined). */
  method?: 'POST' | 'DELETE';
  /** Routes without an Idempotency-Key (a restriction is idempotent by itself) set false. */
  idempotencyKey?: boolean;
  validate: (values: V) => Errors;
  toBody: (values: V) => B;
  /** The case revision the form was opened at, sent as If-Match (none for a new referral). */
  revision?: number;
  /** API field names to form field names (`household.name` → `name`), where they differ. */
  fields?: Record<string, string>;
  onDone: (answer: A) => void;
  /** 412: the case changed meanwhile; answers its current revision after showing the new state. */
  onStale?: () => Promise<number | undefined>;
}

/**
 * Submits a command form: checks the input, sends it once per submission (Idempotency-Key,
 * If-Match), and turns the API's problems into a message and problems beside the fields. The
 * values are never reset on failure: what the person typed stays.
 */
export function useCommandSubmit<V extends Record<string, FieldValue>, B, A = CommandAnswer>(spec: CommandSpec<V, B, A>) {
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
      const { form, path, method = 'POST', validate, toBody, fields = {}, onDone, onStale } = specRef.current;
      const errors = validate(form.values);
      form.setErrors(errors);
      if (Object.keys(errors).length) return setMessage(null);
      const body = toBody(form.values);
      inFlight.current = true;
      setPending(true);
      setMessage(null);
      try {
        const idempotencyKey = specRef.current.idempotencyKey === false ? undefined : keyFor(path, body);
        const answer = await request<A>(path, { method, body, ifMatch: openedAt, idempotencyKey });
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
