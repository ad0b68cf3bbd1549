import { t } from './index';

/** 2025-03-01 → 01.03.2025, the way German users read dates. */
export const formatDate = (date: string | null | undefined): string => {
  if (!date) return t.common.none;
  const [y, m, d] = date.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
};

/** An instant in Cologne time, e.g. 01.03.2025, 14:05. */
export const formatDateTime = (instant: string): string =>
  new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));
