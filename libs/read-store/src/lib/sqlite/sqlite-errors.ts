import { ReadStoreUnavailableError } from '../errors';

// SQLite errors are recognised by code and message, not `instanceof SqliteError`: the native
// addon's error class may come from another realm (e.g. another test file that loaded it first).

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;
const messageOf = (error: unknown): string => String((error as { message?: unknown } | null)?.message);

/** Another connection held the write lock past the busy timeout: the store did not answer in time. */
export const translateBusy = (error: unknown): unknown => {
  const code = codeOf(error);
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) {
    return new ReadStoreUnavailableError(`read store busy: ${messageOf(error)}`, { cause: error });
  }
  return error;
};

/** A table this connection knew was dropped by another connection. */
export const isMissingTable = (error: unknown): boolean => /^no such table/.test(messageOf(error));
