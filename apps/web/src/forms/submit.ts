import { useCallback, useRef, useState, type FormEvent } from 'react';
import { call, urlOf, type Answer, type Init, type PathsWith } from '../api/client';
import { useIdempotencyKey } from '../api/hooks';
import { ApiError, describeError } from '../api/problem';
import { t } from '../i18n';
import { outboxCommandOf } from '../outbox/commands';
import { useOutbox } from '../outbox/OutboxProvider';
import type { Errors, FieldValue, FormApi } from './form';

type CommandMethod = 'post' | 'delete';
/**
 * The routes a form submits to: a referral, the commands on a case (`{id}`), an activity, and the
 * household's restriction (POST) and its lifting (DELETE).
 */
export type CommandRoute<M extends CommandMethod = 'post'> = Extract<
  PathsWith<M>,
  '/api/cases' | `/api/cases/{id}/${string}` | '/api/activities' | '/api/households/{householdId}/restriction'
>;
type CommandInit<M extends CommandMethod, P extends CommandRoute<M>> = Init<M, P>;
type Declared<X> = [NonNullable<X>] extends [never] ? false : true;
/** If-Match (the form's revision) only where the route declares it (case commands). */
type RevisionOption<M extends CommandMethod, P extends CommandRoute<M>> =
  Declared<CommandInit<M, P>['ifMatch']> extends true
    ? { /** The case revision the form was opened at, sent as If-Match (none for a new referral). */ revision?: number }
    : { revision?: never };
/** A route without an Idempotency-Key (a restriction is idempotent by itself) must say so. */
type KeyOption<M extends CommandMethod, P extends CommandRoute<M>> =
  Declared<CommandInit<M, P>['idempotencyKey']> extends true ? { idempotencyKey?: true } : { idempotencyKey: false };

export type CommandSpec<V extends Record<string, FieldValue>, M extends CommandMethod, P extends CommandRoute<M>> = {
  form: FormApi<V>;
  /** POST by default; a DELETE sends no body (toBody answers undefined). */
  method?: M;
  route: P;
  /** The route's path parameters (`{ id: caseId }`), as the document names them. */
  path?: CommandInit<M, P>['path'];
  validate: (values: V) => Errors;
  /** The request body, as the route declares it. */
  toBody: (values: V) => CommandInit<M, P>['body'];
  /** API field names to form field names (`household.name` → `name`), where they differ. */
  fields?: Record<string, string>;
  onDone: (answer: Answer<M, P>) => void;
  /** 412: the case changed meanwhile; answers its current revision after showing the new state. */
  onStale?: () => Promise<number | undefined>;
  /** The command waits in the outbox (no connection): nothing is saved yet (decision 0040). */
  onQueued?: () => void;
} & RevisionOption<M, P> &
  KeyOption<M, P>;

/**
 * What every command on a case gives `useCommandSubmit`: the case in the path, the revision the
 * form was opened at (If-Match), and the page's answers to a save and to a 412.
 */
export const onTheCase = ({
  detail,
  onDone,
  onStale,
}: {
  detail: { caseId: string; revision: number };
  onDone: (answer: { position: string }) => void;
  onStale: () => Promise<number | undefined>;
}) => ({ path: { id: detail.caseId }, revision: detail.revision, onDone, onStale });

/**
 * Submits a command form: checks the input, sends it once per submission (Idempotency-Key,
 * If-Match), and turns the API's problems into a message and problems beside the fields. The
 * values are never reset on failure: what the person typed stays.
 */
export function useCommandSubmit<
  V extends Record<string, FieldValue>,
  M extends CommandMethod = 'post',
  P extends CommandRoute<M> = CommandRoute<M>,
>(spec: CommandSpec<V, M, P>) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [openedAt, setOpenedAt] = useState<number | undefined>(spec.revision);
  const [queued, setQueued] = useState(false);
  const outbox = useOutbox();
  const inFlight = useRef(false);
  const { keyFor, done } = useIdempotencyKey();
  const specRef = useRef(spec);
  specRef.current = spec;

  const submit = useCallback(
    async (event?: FormEvent) => {
      event?.preventDefault();
      if (inFlight.current) return; // a double click sends nothing more
      const { form, method = 'post' as M, route, path, validate, toBody, fields = {}, onDone, onStale } = specRef.current;
      const errors = validate(form.values);
      form.setErrors(errors);
      if (Object.keys(errors).length) return setMessage(null);
      const body = toBody(form.values);
      const url = urlOf(route, { path: path as Record<string, string> | undefined });
      const idempotencyKey = specRef.current.idempotencyKey !== false ? keyFor(url, body) : undefined;
      // Field commands (visits, mediations, goal reviews, activities) may wait in the outbox; the rest send as always.
      const mayWait = outbox !== null && idempotencyKey !== undefined && method === 'post' && outboxCommandOf(url) !== null;
      const queue = async () => {
        try {
          if (idempotencyKey) await outbox?.enqueue({ path: url, body, expectedRevision: openedAt ?? null, idempotencyKey });
        } catch {
          return setMessage(t.outbox.storeFailed);
        }
        done();
        setQueued(true);
        specRef.current.onQueued?.();
      };
      inFlight.current = true;
      setPending(true);
      setMessage(null);
      setQueued(false);
      try {
        // Offline, or behind entries still waiting (which must be recorded first): into the outbox.
        if (mayWait && outbox && (!navigator.onLine || outbox.hasWaiting())) {
          await queue();
          if (navigator.onLine) void outbox.flush();
          return;
        }
        // The spec's types allow only what the route declares (RevisionOption, KeyOption); TypeScript
        // cannot see that through the generic route, so it is said once here.
        const init = { path, body, ifMatch: openedAt, idempotencyKey } as unknown as Init<M, P>;
        const answer = await call(method, route, init);
        done();
        onDone(answer);
      } catch (error) {
        // No answer at all: the request may or may not have arrived; the outbox resends it with the same key.
        if (mayWait && error instanceof ApiError && error.status === 0) return await queue();
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
    [keyFor, done, openedAt, outbox],
  );

  return { submit, pending, message, queued };
}
