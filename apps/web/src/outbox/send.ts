import { call, type Init, type PathsWith } from '../api/client';
import { ApiError } from '../api/problem';
import type { OutboxAnswer, OutboxDraft, OutboxEntry, OutboxKind } from './commands';
import type { Outbox } from './store';

/** The route of each kind in the API's contract. */
const ROUTES = {
  visit: '/api/cases/{id}/visits',
  mediation: '/api/cases/{id}/mediations',
  'goal-review': '/api/cases/{id}/goal-reviews',
  activity: '/api/activities',
} as const satisfies Record<OutboxKind, PathsWith<'post'>>;

/** Sends one entry as the form would have: its body, its If-Match, the Idempotency-Key it got when written. */
export async function sendDraft(draft: OutboxDraft): Promise<OutboxAnswer> {
  const route = ROUTES[draft.kind];
  // The body is what the form built for this route (it was typed there); stored, it is plain JSON again.
  const init = {
    path: draft.caseId === null ? undefined : { id: draft.caseId },
    body: draft.body,
    ifMatch: draft.expectedRevision ?? undefined,
    idempotencyKey: draft.idempotencyKey,
  } as unknown as Init<'post', typeof route>;
  return (await call('post', route, init)) as OutboxAnswer;
}

/**
 * A refusal goes back to the caseworker: the API decided, and sending the same again would be
 * decided the same (409 a rule, 412 a revision moved on, 422 a key reused, and 400/403/404/413/415,
 * which no waiting changes). No answer, 401 (signed in again, it goes), 408, 429 and 5xx keep it
 * waiting, in its place.
 */
export const isRefusal = (error: unknown): error is ApiError =>
  error instanceof ApiError && error.status >= 400 && error.status < 500 && ![401, 408, 429].includes(error.status);

export interface FlushResult {
  sent: { entry: OutboxEntry; answer: OutboxAnswer }[];
  refused: OutboxEntry[];
  /** Why sending stopped before the end (no connection, server error); null when every waiting entry was answered. */
  stoppedBy: unknown;
}

/**
 * Sends the waiting entries in order, one at a time; stops at the first that gets no answer, so
 * none overtakes an earlier one. Entries written at the same revision of a case (two visits
 * recorded offline, one after the other) would otherwise meet a 412 from the first one's own
 * event: once an entry is recorded, the later entries of its case that expected the revision it
 * was sent with expect the revision it produced. Anything else that changed the case still
 * answers 412.
 */
export async function flushOutbox(outbox: Outbox, send: (draft: OutboxDraft) => Promise<OutboxAnswer> = sendDraft): Promise<FlushResult> {
  const result: FlushResult = { sent: [], refused: [], stoppedBy: null };
  const entries = await outbox.list();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!entry || entry.state !== 'waiting') continue;
    try {
      const answer = await send(entry);
      await outbox.remove(entry.seq);
      result.sent.push({ entry, answer });
      for (const later of entries.slice(i + 1))
        if (
          later.state === 'waiting' &&
          later.caseId === entry.caseId &&
          entry.caseId !== null &&
          later.expectedRevision === entry.expectedRevision
        ) {
          later.expectedRevision = answer.revision;
          await outbox.update(later);
        }
    } catch (error) {
      if (!isRefusal(error)) {
        result.stoppedBy = error;
        break;
      }
      const refused: OutboxEntry = {
        ...entry,
        state: 'refused',
        refusal: { status: error.status, code: error.code ?? null, errors: error.problem?.errors ?? [] },
      };
      await outbox.update(refused);
      result.refused.push(refused);
    }
  }
  return result;
}

/**
 * One flush at a time in this page, and across the tabs of this browser where it has Web Locks:
 * two tabs sending the same entry would still be recorded once (the key), but each would count it.
 */
let running: Promise<unknown> = Promise.resolve();
export function exclusively<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const next: Promise<T> = running.then(() => (locks ? (locks.request('wih-outbox', task) as Promise<T>) : task()));
  running = next.catch(() => undefined);
  return next;
}
