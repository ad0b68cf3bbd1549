import type { AccessEntry } from './port';

export const ACCESS_CSV_HEADER = 'id,at,userId,role,caseId,action\r\n';

/**
 * RFC 4180 fields. A value starting with = + - @ (or a tab/CR) is prefixed with ' so that a
 * spreadsheet does not run it as a formula (user ids come from tokens, not from this code). A
 * value holding `,` or `;` is quoted: German Excel splits this comma-separated file on `;`, so an
 * unquoted `;` in a crafted `sub` would shift the columns. The same rules as the evaluation's CSV.
 */
export const csvField = (value: string): string => {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** CSV rows (CRLF) of the entries, without the header. */
export const toAccessCsv = (entries: readonly AccessEntry[]): string =>
  entries.map((e) => `${[e.id, e.at, e.userId, e.role, e.caseId, e.action].map(csvField).join(',')}\r\n`).join('');
