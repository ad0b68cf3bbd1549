import { ApiError, describeError } from '../api/problem';
import { formatDate } from '../i18n/format';
import { t } from '../i18n';
import type { OutboxEntry } from './commands';

/** "Hausbesuch vom 01.03.2025": the kind and the date the caseworker gave (never the notes). */
export function entryTitle(entry: OutboxEntry): string {
  const body = (entry.body ?? {}) as Record<string, unknown>;
  const on = [body.visitedOn, body.mediatedOn, body.reviewedOn, body.on].find((v): v is string => typeof v === 'string');
  return t.outbox.entry(t.outbox.kinds[entry.kind], formatDate(on));
}

/** Why the API refused it, in the words the forms use. */
export const refusalText = (entry: OutboxEntry): string => {
  if (!entry.refusal) return '';
  if (entry.refusal.status === 412) return t.outbox.stale;
  const { status, code, errors } = entry.refusal;
  return describeError(new ApiError(status, { type: '', title: '', detail: '', status, code: code ?? '', errors }));
};
