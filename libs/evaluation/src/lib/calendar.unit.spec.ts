import { addMonths, daysBetween } from '@wih/domain';
import { days, monthsAfter } from './calendar';

describe('memoised calendar arithmetic: the same answers as the domain', () => {
  it('whole days, across month ends and a leap day', () => {
    for (const [from, to, expected] of [
      ['2024-02-10', '2024-03-01', 20],
      ['2023-07-01', '2024-01-01', 184],
      ['2024-03-01', '2024-02-28', -2],
    ] as const) {
      expect(days(from, to)).toBe(expected);
      expect(days(from, to)).toBe(daysBetween(from, to)); // second call: from the cache
    }
  });

  it('calendar months with the day clamped to the month end', () => {
    expect(monthsAfter('2024-08-31', 6)).toBe('2025-02-28');
    expect(monthsAfter('2023-08-31', 6)).toBe('2024-02-29');
    expect(monthsAfter('2024-01-31', 1)).toBe(addMonths('2024-01-31', 1));
    expect(monthsAfter('2024-08-31', 24)).toBe('2026-08-31');
  });
});
