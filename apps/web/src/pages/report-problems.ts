import { ApiError, describeError } from '../api/problem';
import { t } from '../i18n';

/** The report's own refusals in words (rate limit, finalised, not publishable, …), else the general ones. */
export const describeReportError = (error: unknown): string =>
  (error instanceof ApiError && error.code && t.reportProblems[error.code]) || describeError(error);
