import { USER_ID } from '@wih/vocabulary';
import { t, type Code, type CodeList } from '../i18n';
import type { Errors } from './form';

/**
 * A select's or checkbox group's value as the code the API takes: the fields offer only the
 * list's codes and the form's checks ran before the body is built, so this only names the type.
 */
export const asCode = <L extends CodeList>(_list: L, value: string) => value as Code<L>;
export const asCodes = <L extends CodeList>(_list: L, values: string[]) => values as Code<L>[];

/** Small pure checks shared by the forms; each answers a message or undefined. */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isDate = (value: string) =>
  DATE.test(value) &&
  !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
  new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

/** Today in Cologne as YYYY-MM-DD (business dates are Europe/Berlin calendar dates). */
export const todayInCologne = (now = new Date()) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);

/** Calendar months later, the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb), as the domain counts. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

export function required(value: string | boolean | string[] | undefined, message: string = t.validation.required): string | undefined {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return message;
  return undefined;
}

/** A business date: a real date, not in the future, not before `notBefore` (with its message). */
export function businessDate(
  value: string,
  today: string,
  notBefore?: { on: string | null; message: (on: string) => string },
): string | undefined {
  if (!value) return t.validation.required;
  if (!isDate(value)) return t.validation.date;
  if (value > today) return t.validation.future;
  if (notBefore?.on && value < notBefore.on) return notBefore.message(notBefore.on);
  return undefined;
}

export function integer(value: string, min: number, max: number): string | undefined {
  if (value === '') return t.validation.required;
  const n = Number(value);
  return /^\d+$/.test(value.trim()) && n >= min && n <= max ? undefined : t.validation.range(min, max);
}

export const maxLength = (value: string, max: number) => (value.length > max ? t.validation.tooLong(max) : undefined);
export const userId = (value: string) => (!value ? t.validation.required : USER_ID.test(value) ? undefined : t.validation.userId);
export const uuid = (value: string) => (!value ? t.validation.required : UUID.test(value.trim()) ? undefined : t.validation.uuid);

/** Keeps the fields that have a problem. */
export const collect = (checks: Record<string, string | undefined>): Errors =>
  Object.fromEntries(Object.entries(checks).filter((entry): entry is [string, string] => entry[1] !== undefined));
