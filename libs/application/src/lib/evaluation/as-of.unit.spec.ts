import { AsOfError, asksForNow, resolveAsOf, startOfDayInCologne } from './as-of';

const NOW = new Date('2026-04-30T10:00:00.000Z'); // 12:00 in Cologne

describe('resolveAsOf: what an evaluation is "as of"', () => {
  it('is now when not given', () => {
    expect(resolveAsOf(undefined, NOW)).toBe('2026-04-30T10:00:00.000Z');
    expect(resolveAsOf('', NOW)).toBe('2026-04-30T10:00:00.000Z');
  });

  it('takes an instant with a zone and answers it in UTC', () => {
    expect(resolveAsOf('2026-01-31T23:00:00Z', NOW)).toBe('2026-01-31T23:00:00.000Z');
    expect(resolveAsOf('2026-02-01T00:30+01:00', NOW)).toBe('2026-01-31T23:30:00.000Z');
    expect(resolveAsOf('2026-04-30T10:00:00.000Z', NOW)).toBe('2026-04-30T10:00:00.000Z');
  });

  it('reads a calendar date as the end of that day in Cologne, summer and winter time alike', () => {
    expect(resolveAsOf('2026-01-15', NOW)).toBe('2026-01-15T22:59:59.999Z');
    expect(resolveAsOf('2025-07-15', NOW)).toBe('2025-07-15T21:59:59.999Z');
    // the day the clocks go forward (29 Mar 2026): it ends at 22:00 UTC
    expect(resolveAsOf('2026-03-29', NOW)).toBe('2026-03-29T21:59:59.999Z');
    // the day before: still winter time at its end
    expect(resolveAsOf('2026-03-28', NOW)).toBe('2026-03-28T22:59:59.999Z');
    // the day the clocks go back (25 Oct 2026 is after NOW; use 26 Oct 2025)
    expect(resolveAsOf('2025-10-26', NOW)).toBe('2025-10-26T22:59:59.999Z');
  });

  it('reads today as now: the rest of the day has not happened yet', () => {
    expect(resolveAsOf('2026-04-30', NOW)).toBe('2026-04-30T10:00:00.000Z');
  });

  it.each([
    ['2026-04-30T10:00:00.001Z', 'a millisecond after now'],
    ['2026-05-01', 'tomorrow'],
    ['2026-04-30T13:00:00+02:00', 'an hour after now, with an offset'],
  ])('refuses the future: %s (%s)', (value) => {
    expect(() => resolveAsOf(value, NOW)).toThrow(new AsOfError('asOf must not be in the future'));
  });

  it.each(['2026-04-30T10:00:00', '2026-02-30T10:00:00Z', '2026-04-29T24:00:00Z', '2026-02-30', 'yesterday', '1714470000000', '2026-4-1'])(
    'refuses %s: not an instant with a zone nor a calendar date',
    (value) => {
      expect(() => resolveAsOf(value, NOW)).toThrow(AsOfError);
    },
  );

  it('finds the start of a day in Cologne', () => {
    expect(new Date(startOfDayInCologne('2026-01-01')).toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(new Date(startOfDayInCologne('2026-07-01')).toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });
});

describe('asksForNow: whether an answer may be given as of a later instant (decision 0044)', () => {
  it("is no asOf at all; never an instant or a date, not even today's (its end could be passed at midnight)", () => {
    expect([undefined, ''].map((value) => asksForNow(value))).toEqual([true, true]);
    expect(['2026-04-30', '2026-04-30T10:00:00Z', NOW.toISOString()].map((value) => asksForNow(value))).toEqual([false, false, false]);
  });
});
