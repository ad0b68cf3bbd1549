import { ACCESS_ACTIONS, InvalidAccessEntryError, type AccessEntry, type AccessLogQuery } from './port';

export const MAX_PAGE = 10_000;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const FIELDS = ['id', 'at', 'userId', 'role', 'caseId', 'action'];

const isIsoUtc = (value: unknown): value is string => typeof value === 'string' && ISO_UTC.test(value) && !Number.isNaN(Date.parse(value));
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;

/**
 * Exactly the six fields, each of its kind: an entry cannot carry anything else (a name, a query
 * text) by accident, and `at` sorts as text in both stores.
 */
export function assertEntry(entry: AccessEntry): void {
  const extra = Object.keys(entry).filter((key) => !FIELDS.includes(key));
  if (extra.length > 0) throw new InvalidAccessEntryError(`access entries hold no other fields (got ${extra.join(', ')})`);
  if (!isId(entry.id) || !isId(entry.userId) || !isId(entry.role) || !isId(entry.caseId)) {
    throw new InvalidAccessEntryError('id, userId, role and caseId must be non-empty strings');
  }
  if (!isIsoUtc(entry.at))
    throw new InvalidAccessEntryError(`at must be an ISO 8601 UTC instant with milliseconds, got ${String(entry.at)}`);
  if (!(ACCESS_ACTIONS as readonly string[]).includes(entry.action))
    throw new InvalidAccessEntryError(`unknown action ${String(entry.action)}`);
}

export function assertQuery(query: AccessLogQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_PAGE)
    throw new InvalidAccessEntryError(`limit must be 1–${MAX_PAGE}`);
  for (const bound of [query.from, query.before, query.after?.at]) {
    if (bound !== undefined && !isIsoUtc(bound)) throw new InvalidAccessEntryError(`not an ISO 8601 UTC instant: ${bound}`);
  }
}
