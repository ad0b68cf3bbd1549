import { addDays, addMonths, businessDateOf, daysBetween, isCalendarDate, maxDate } from './dates';

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2025-01-01', '2025-12-31', '2025-04-30', '9999-12-31'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    ['a 29 February outside a leap year', '2025-02-29'],
    ['29 February 1900 (no leap year)', '1900-02-29'],
    ['a 30 February', '2024-02-30'],
    ['31 April', '2025-04-31'],
    ['month 13', '2025-13-01'],
    ['month 00', '2025-00-10'],
    ['day 00', '2025-01-00'],
    ['day 32', '2025-01-32'],
    ['unpadded parts', '2025-1-1'],
    ['a German date', '01.01.2025'],
    ['a date with a time', '2025-01-01T00:00:00Z'],
    ['surrounding blanks', ' 2025-01-01'],
    ['a trailing newline', '2025-01-01\n'],
    ['the empty string', ''],
  ])('rejects %s (%p)', (_what, value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it.each([null, undefined, 20250101, new Date('2025-01-01'), ['2025-01-01']])('rejects the non-string %p', (value) => {
    expect(isCalendarDate(value)).toBe(false);
  });
});

describe('addMonths: calendar months, the day clamped to the month’s end', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-01-30', 1, '2025-02-28'],
    ['2025-03-31', 1, '2025-04-30'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2025-05-31', -3, '2025-02-28'],
    ['2025-01-15', -1, '2024-12-15'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2025-01-20', 0, '2025-01-20'],
    ['2025-01-20', 12, '2026-01-20'],
    ['2025-01-31', 12, '2026-01-31'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 24, '2026-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2025-01-31', 24, '2027-01-31'],
    ['2025-08-31', 30, '2028-02-29'],
  ])('%s %+i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('does not chain: 31 Jan + 1 + 1 month is 28 Mar, but 31 Jan + 2 months is 31 Mar', () => {
    expect(addMonths(addMonths('2025-01-31', 1), 1)).toBe('2025-03-28');
    expect(addMonths('2025-01-31', 2)).toBe('2025-03-31');
  });
});

describe('addDays', () => {
  it.each([
    // Europe/Berlin switches to summer time on 2025-03-30 and back on 2025-10-26.
    ['2025-03-29', 1, '2025-03-30'],
    ['2025-03-30', 1, '2025-03-31'],
    ['2025-03-29', 2, '2025-03-31'],
    ['2025-03-31', -1, '2025-03-30'],
    ['2025-10-25', 1, '2025-10-26'],
    ['2025-10-26', 1, '2025-10-27'],
    ['2025-10-20', 28, '2025-11-17'],
    ['2025-03-20', 28, '2025-04-17'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2025-12-20', 28, '2026-01-17'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-06-15', 0, '2025-06-15'],
    ['2025-01-01', 365, '2026-01-01'],
    ['2024-01-01', 365, '2024-12-31'],
  ])('%s %+i days = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2025-06-15', '2025-06-15', 0],
    ['2025-06-15', '2025-06-16', 1],
    ['2025-06-16', '2025-06-15', -1],
    ['2025-03-29', '2025-03-31', 2],
    ['2025-03-01', '2025-04-01', 31],
    ['2025-10-01', '2025-11-01', 31],
    ['2025-12-31', '2026-01-01', 1],
    ['2024-01-01', '2025-01-01', 366],
    ['2025-01-01', '2026-01-01', 365],
    ['2025-01-20', '2025-02-17', 28],
  ])('from %s to %s is %i', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it('is the inverse of addDays', () => {
    for (const days of [-400, -1, 0, 1, 7, 28, 90, 366, 1000]) expect(daysBetween('2025-03-30', addDays('2025-03-30', days))).toBe(days);
  });

  it('throws on something that is not a date', () => {
    expect(() => daysBetween('2025-1-1', '2025-01-02')).toThrow(RangeError);
  });
});

describe('maxDate', () => {
  it('is the latest date, ignoring null and undefined', () => {
    expect(maxDate('2025-03-01', null, '2025-04-01', undefined, '2025-02-01')).toBe('2025-04-01');
    expect(maxDate(null, undefined)).toBeNull();
    expect(maxDate()).toBeNull();
  });
});

describe('businessDateOf: the calendar date in Cologne', () => {
  it.each([
    ['2025-03-30T22:30:00Z', '2025-03-31'], // summer time: 00:30 CEST
    ['2025-03-30T21:59:59Z', '2025-03-30'], // 23:59:59 CEST
    ['2025-03-30T00:30:00Z', '2025-03-30'], // 01:30 CET, before the switch
    ['2025-12-31T23:30:00Z', '2026-01-01'], // winter time: 00:30 CET, a new year
    ['2025-12-31T22:59:59Z', '2025-12-31'],
    ['2025-01-15T23:00:00Z', '2025-01-16'],
    ['2025-10-25T22:00:00Z', '2025-10-26'], // 00:00 CEST on the night summer time ends
    ['2025-10-26T22:59:59Z', '2025-10-26'], // 23:59:59 CET
    ['2025-10-26T23:00:00Z', '2025-10-27'],
  ])('%s is %s', (instant, expected) => {
    expect(businessDateOf(new Date(instant))).toBe(expected);
  });

  it('takes another time zone when asked', () => {
    expect(businessDateOf(new Date('2025-12-31T23:30:00Z'), 'UTC')).toBe('2025-12-31');
    expect(businessDateOf(new Date('2025-12-31T10:30:00Z'), 'Pacific/Kiritimati')).toBe('2026-01-01');
  });

  it('produces a calendar date', () => {
    expect(isCalendarDate(businessDateOf(new Date('2025-07-04T12:00:00Z')))).toBe(true);
  });
});
