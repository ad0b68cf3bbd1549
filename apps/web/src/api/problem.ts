import { t } from '../i18n';
import type { Problem } from './schemas';

export type { Problem };

/** A failed request: the HTTP status (0: no answer at all) and the problem the API sent. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The problem the API sent (RFC 9457, the document's `ProblemDto`); null when the body was none. */
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }

  get code(): string | undefined {
    return this.problem?.code;
  }

  /** Field problems by field name (`household.name`, `visitedOn`, …). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem?.errors ?? []) out[e.field] = out[e.field] ? `${out[e.field]} ${e.message}` : e.message;
    return out;
  }
}

/** What to tell the person about a failed request, in their language. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return t.problems.unknown;
  const byCode = error.code ? t.problems.codes[error.code] : undefined;
  switch (error.status) {
    case 0:
      return t.problems.network;
    case 400:
      return t.problems.validation;
    case 401:
      return t.problems.unauthorized;
    case 403:
      return byCode ?? t.problems.forbidden;
    case 404:
      // By status only: an unknown case is `not-found` or `case-not-found` depending on the API's version.
      return t.problems.notFound;
    case 409:
      return byCode ?? (error.problem?.detail ? `${t.problems.conflict} (${error.problem.detail})` : t.problems.conflict);
    case 412:
      return t.problems.stale;
    case 413:
      return t.problems.tooLarge;
    case 422:
      return byCode ?? t.problems.keyReused;
    case 503:
      return error.code === 'projection-lagging' ? t.problems.lagging : t.problems.unavailable;
    default:
      return byCode ?? t.problems.unknown;
  }
}
