import { addMonths, type CalendarDate } from '../dates';

/** How long personal data is kept, in calendar months (DOMAIN.md: 6 years after closing, 1 after a rejection). */
export interface RetentionPeriods {
  readonly afterCloseMonths: number;
  readonly afterRejectionMonths: number;
}

export const DEFAULT_RETENTION: RetentionPeriods = { afterCloseMonths: 72, afterRejectionMonths: 12 };

/**
 * The longest repeat-case window (DOMAIN.md): a new referral within 24 months of a closing counts
 * as a repeat case, which a caseworker can only recognise while the household's data is readable.
 */
export const REPEAT_WINDOW_MONTHS = 24;

/** The non-personal facts of one case that retention needs (the evaluation facts fit this shape). */
export interface RetentionCase {
  readonly caseId: string;
  readonly householdId: string;
  readonly receivedOn: CalendarDate;
  readonly rejectedOn: CalendarDate | null;
  readonly closure: { readonly closedOn: CalendarDate } | null;
}

export interface DueHousehold {
  readonly householdId: string;
  /** The first day the household's personal data may no longer be kept. */
  readonly expiredOn: CalendarDate;
}

/** The day a case's data expires, or null while the case is open (referred or active). */
const expiryOf = (c: RetentionCase, periods: RetentionPeriods): CalendarDate | null => {
  if (c.closure) {
    const kept = addMonths(c.closure.closedOn, periods.afterCloseMonths);
    const window = addMonths(c.closure.closedOn, REPEAT_WINDOW_MONTHS);
    return kept > window ? kept : window;
  }
  return c.rejectedOn ? addMonths(c.rejectedOn, periods.afterRejectionMonths) : null;
};

/**
 * The first day one household's personal data may no longer be kept: the latest expiry over its
 * cases, or null while one of them is open (or it has none). The retention job erases on that day;
 * the household's access report states it (decision 0033).
 */
export function householdExpiryOf(cases: readonly RetentionCase[], periods: RetentionPeriods = DEFAULT_RETENTION): CalendarDate | null {
  if (cases.length === 0) return null;
  const expiries = cases.map((c) => expiryOf(c, periods));
  if (expiries.includes(null)) return null;
  return (expiries as CalendarDate[]).reduce((a, b) => (a > b ? a : b));
}

/**
 * The households whose personal data is due for erasure on `today`: each case needs the data until
 * its own expiry (6 years after a closing, at least through the repeat-case window; 1 year after a
 * rejection), so the household keeps it until the latest of them, and a household with an open case
 * never expires. The latest of them, not the latest case's: a later rejection must not shorten what
 * an earlier closed case needs. Households in `erased` are left out. Pure: the caller supplies the
 * facts and the date.
 */
export function householdsDueForErasure(
  cases: Iterable<RetentionCase>,
  today: CalendarDate,
  periods: RetentionPeriods = DEFAULT_RETENTION,
  erased: ReadonlySet<string> = new Set(),
): DueHousehold[] {
  const byHousehold = new Map<string, RetentionCase[]>();
  for (const c of cases) {
    if (erased.has(c.householdId)) continue;
    const list = byHousehold.get(c.householdId);
    if (list) list.push(c);
    else byHousehold.set(c.householdId, [c]);
  }
  const due: DueHousehold[] = [];
  for (const [householdId, list] of byHousehold) {
    const expiredOn = householdExpiryOf(list, periods);
    if (expiredOn !== null && expiredOn <= today) due.push({ householdId, expiredOn });
  }
  return due.sort((a, b) =>
    a.expiredOn === b.expiredOn ? a.householdId.localeCompare(b.householdId) : a.expiredOn < b.expiredOn ? -1 : 1,
  );
}
