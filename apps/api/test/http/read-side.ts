import type { Answer, TestApi } from './harness';

/** Helpers of the read-side specs (queries, caseload, admin, metrics). */

/** The log's head as a decimal string: a query with `minPosition=` this sees every write made so far. */
export const headOf = async (api: TestApi): Promise<string> => (await api.store.headPosition()).toString();

/** GET that reads its own writes: waits (server-side) until the projections applied every write so far. */
export async function read(api: TestApi, path: string, token?: string): Promise<Answer> {
  const position = await headOf(api);
  const separator = path.includes('?') ? '&' : '?';
  return api.request('GET', `${path}${separator}minPosition=${position}`, { token });
}

/**
 * Polls `probe` until `done` holds for its result, or fails with the last result once the deadline
 * passed (no fixed sleeps: the loop ends as soon as the condition holds).
 */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 10_000, pauseMs = 20): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${deadlineMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

export const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** API.md's case detail fields, in the contract's order. */
export const CASE_DETAIL_FIELDS = [
  'caseId',
  'householdId',
  'status',
  'revision',
  'receivedOn',
  'approvedOn',
  'rejectedOn',
  'closedOn',
  'plannedEndOn',
  'referralSource',
  'targetGroup',
  'housingSituation',
  'adults',
  'children',
  'assignedCaseworkerId',
  'visitIntervalDays',
  'lastVisitOn',
  'nextVisitDueOn',
  'overdue',
  'housingSecured',
  'closure',
  'counts',
  'previousCaseId',
  'household',
  'restricted',
  'helpPlan',
  'nextGoalReviewOn',
  'goalReviewDue',
];

/** API.md's caseload item fields, in the contract's order. */
export const CASELOAD_ITEM_FIELDS = [
  'caseId',
  'status',
  'householdName',
  'assignedCaseworkerId',
  'receivedOn',
  'nextVisitDueOn',
  'plannedEndOn',
  'overdue',
  'nextGoalReviewOn',
  'goalReviewDue',
  'restricted',
];
