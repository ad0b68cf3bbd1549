import { formatDate, formatDateTime } from './format';

/** Dates as German users read them (TT.MM.JJJJ), whatever the browser's own locale. */
it('shows a calendar date as TT.MM.JJJJ, and a missing one as a dash', () => {
  expect(formatDate('2026-03-04')).toBe('04.03.2026');
  expect(formatDate('2025-12-31T23:30:00Z')).toBe('31.12.2025');
  expect(formatDate(null)).toBe('–');
  expect(formatDate(undefined)).toBe('–');
});

it('shows an instant in Cologne time, German style', () => {
  // Summer time: 12:05 UTC is 14:05 in Cologne; winter: 13:05 UTC is 14:05.
  expect(formatDateTime('2025-07-01T12:05:00Z')).toBe('01.07.2025, 14:05');
  expect(formatDateTime('2025-03-01T13:05:00Z')).toBe('01.03.2025, 14:05');
});
