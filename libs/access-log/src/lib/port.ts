/**
 * The access log port (DOMAIN.md "Personal data"): every read of a case's personal data leaves an
 * entry (who, when, which case) that admins can export but nobody can change. Append-only: the
 * port has no way to change or remove an entry, and neither has any adapter. Implemented by an
 * embedded SQLite file (default) and by MongoDB; both run the contract suite (testing/contract.ts).
 */

export const ACCESS_ACTIONS = ['detail', 'timeline', 'caseload', 'access-report'] as const;
/**
 * Which read: the case detail, its timeline, the case listed in a caseload answer, or the case in
 * its household's access report (DSGVO Art. 15, decision 0033). Adding one: the SQLite file's CHECK
 * follows from this list and is widened on open (sqlite-access-log.ts); MongoDB needs nothing.
 */
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** One read of one case. No personal data: ids, a role, an action and a time only. */
export interface AccessEntry {
  readonly id: string;
  /** ISO 8601 UTC with milliseconds (`2026-03-01T09:00:00.000Z`). */
  readonly at: string;
  readonly userId: string;
  readonly role: string;
  readonly caseId: string;
  readonly action: AccessAction;
}

/** Where a page ended: the next page starts after this entry (entries are ordered by `at`, then `id`). */
export interface AccessCursor {
  readonly at: string;
  readonly id: string;
}

export interface AccessLogQuery {
  /** Inclusive lower bound on `at` (ISO 8601 UTC). */
  readonly from?: string;
  /** Exclusive upper bound on `at` (ISO 8601 UTC). */
  readonly before?: string;
  readonly userId?: string;
  readonly caseId?: string;
  readonly after?: AccessCursor;
  /** 1 to 10 000. */
  readonly limit: number;
}

export interface AccessLog {
  /**
   * Durable when the promise resolves. Throws AccessLogUnavailableError when the log cannot be
   * written; part of the entries may then be stored (an entry too many is harmless, one too few is not).
   */
  append(entries: readonly AccessEntry[]): Promise<void>;
  /** Entries matching the query, ordered by `at`, then `id`. */
  find(query: AccessLogQuery): Promise<AccessEntry[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * What a store migration needs of the access logs beyond the port (both adapters have it). Still
 * append-only: an entry already there is left as it is, never changed.
 */
export interface AccessLogCopy {
  /** The last entry in (`at`, `id`) order, or null when the log is empty: a copy resumes after it. */
  lastEntry(): Promise<AccessEntry | null>;
  /** Appends the entries whose ids the log does not hold yet, in order; answers how many were new. */
  importEntries(entries: readonly AccessEntry[]): Promise<number>;
  /** How many entries the log holds. */
  countEntries(): Promise<number>;
}

/** The log could not be written or read: a read of personal data must then fail (HTTP 503). */
export class AccessLogUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AccessLogUnavailableError';
  }
}

/** An entry or a query the log refuses (a programming error: the callers build them). */
export class InvalidAccessEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAccessEntryError';
  }
}
