import { householdsDueForErasure, type RetentionCase, type RetentionPeriods } from './retention';

const PERIODS: RetentionPeriods = { afterCloseMonths: 72, afterRejectionMonths: 12 };

let next = 0;
const referred = (householdId: string, receivedOn: string): RetentionCase => ({
  caseId: `case-${String(++next).padStart(4, '0')}`,
  householdId,
  receivedOn,
  rejectedOn: null,
  closure: null,
});
const closed = (householdId: string, receivedOn: string, closedOn: string): RetentionCase => ({
  ...referred(householdId, receivedOn),
  closure: { closedOn },
});
const rejected = (householdId: string, receivedOn: string, rejectedOn: string): RetentionCase => ({
  ...referred(householdId, receivedOn),
  rejectedOn,
});

/** given the households' cases, when retention runs on `today`, then these households are due. */
const given = (cases: RetentionCase[], erased: string[] = []) => ({
  when: (today: string, periods = PERIODS) => ({
    then: (expected: { householdId: string; expiredOn: string }[]) =>
      expect(householdsDueForErasure(cases, today, periods, new Set(erased))).toEqual(expected),
  }),
});

describe('householdsDueForErasure', () => {
  it('a closed case expires 6 years after its closing: due on that day, not the day before', () => {
    const cases = [closed('hh-a', '2019-01-10', '2020-03-31')];
    given(cases).when('2026-03-30').then([]);
    given(cases)
      .when('2026-03-31')
      .then([{ householdId: 'hh-a', expiredOn: '2026-03-31' }]);
  });

  it('a rejection expires after 1 year', () => {
    const cases = [rejected('hh-b', '2024-05-01', '2024-05-20')];
    given(cases).when('2025-05-19').then([]);
    given(cases)
      .when('2025-05-20')
      .then([{ householdId: 'hh-b', expiredOn: '2025-05-20' }]);
  });

  it('a household with an open case never expires, however old its other cases are', () => {
    given([closed('hh-c', '2010-01-01', '2011-01-01'), referred('hh-c', '2030-01-01')])
      .when('2031-01-01')
      .then([]);
    given([rejected('hh-c', '2010-01-01', '2010-02-01'), { ...referred('hh-c', '2010-03-01'), closure: null }])
      .when('2031-01-01')
      .then([]);
  });

  it('a later rejection never shortens the 6 years an earlier closed case needs', () => {
    // Closed on 1 Jan 2023, a later referral rejected on 1 Jun 2023: kept until 1 Jan 2029.
    const cases = [closed('hh-d', '2022-01-10', '2023-01-01'), rejected('hh-d', '2023-05-20', '2023-06-01')];
    given(cases).when('2025-01-01').then([]);
    given(cases).when('2028-12-31').then([]);
    given(cases)
      .when('2029-01-01')
      .then([{ householdId: 'hh-d', expiredOn: '2029-01-01' }]);
  });

  it('a later rejection keeps the household longer when its year ends after the closing’s 6 years', () => {
    const cases = [closed('hh-h', '2018-06-01', '2019-01-10'), rejected('hh-h', '2024-10-20', '2024-11-01')];
    given(cases).when('2025-01-10').then([]);
    given(cases)
      .when('2025-11-01')
      .then([{ householdId: 'hh-h', expiredOn: '2025-11-01' }]);
  });

  it('of several closed cases the latest closing counts, whatever the order of the referrals', () => {
    // Overlapping cases break rule 3, but retention reads the facts as they stand (late entries, old data).
    const cases = [closed('hh-i', '2020-01-01', '2024-02-01'), closed('hh-i', '2021-01-01', '2021-03-01')];
    given(cases).when('2027-03-01').then([]);
    given(cases)
      .when('2030-02-01')
      .then([{ householdId: 'hh-i', expiredOn: '2030-02-01' }]);
  });

  it('a closing keeps its household through the 24-month repeat-case window, even after a later rejection', () => {
    const short = { afterCloseMonths: 12, afterRejectionMonths: 12 };
    const cases = [closed('hh-e', '2023-01-01', '2024-03-01'), rejected('hh-e', '2024-04-01', '2024-04-15')];
    given(cases).when('2025-04-15', short).then([]);
    given(cases).when('2026-02-28', short).then([]);
    given(cases)
      .when('2026-03-01', short)
      .then([{ householdId: 'hh-e', expiredOn: '2026-03-01' }]);
  });

  it('months are calendar months clamped to the month end; periods are configurable', () => {
    const cases = [closed('hh-f', '2024-01-01', '2024-02-29')];
    given(cases).when('2025-02-27', { afterCloseMonths: 12, afterRejectionMonths: 1 }).then([]);
    given(cases)
      .when('2026-02-28', { afterCloseMonths: 12, afterRejectionMonths: 1 })
      .then([{ householdId: 'hh-f', expiredOn: '2026-02-28' }]);
  });

  it('leaves out erased households and orders the answer by expiry, then id', () => {
    const cases = [
      rejected('hh-z', '2020-01-01', '2020-01-02'),
      rejected('hh-y', '2020-01-01', '2020-01-02'),
      closed('hh-x', '2010-01-01', '2010-01-02'),
      rejected('hh-w', '2020-01-01', '2020-01-02'),
    ];
    given(cases, ['hh-w'])
      .when('2030-01-01')
      .then([
        { householdId: 'hh-x', expiredOn: '2016-01-02' },
        { householdId: 'hh-y', expiredOn: '2021-01-02' },
        { householdId: 'hh-z', expiredOn: '2021-01-02' },
      ]);
  });

  it('does not depend on the order of the cases', () => {
    const cases = [rejected('hh-g', '2024-06-01', '2024-06-10'), closed('hh-g', '2019-01-01', '2020-01-15')];
    expect(householdsDueForErasure(cases, '2026-01-15', PERIODS)).toEqual(
      householdsDueForErasure([...cases].reverse(), '2026-01-15', PERIODS),
    );
  });
});

/**
 * Properties over random case sets of one household (fast-check is not among the dependencies:
 * a seeded generator, so every run checks the same sets and a failure names its seed).
 */
describe('householdsDueForErasure over random case sets', () => {
  const RUNS = 400;
  const FAR_FUTURE = '9999-12-31';

  /** mulberry32: small, seedable, good enough to spread test data. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const dayOf = (next: () => number, from: string, spanDays: number) =>
    new Date(Date.parse(`${from}T00:00:00Z`) + Math.floor(next() * spanDays) * 86_400_000).toISOString().slice(0, 10);

  /** One to five cases; each closed, rejected or (rarely) still open; some periods shorter than the repeat window. */
  const caseSet = (seed: number) => {
    const next = random(seed);
    const cases = Array.from({ length: 1 + Math.floor(next() * 5) }, (): RetentionCase => {
      const receivedOn = dayOf(next, '2015-01-01', 3650);
      const decidedOn = dayOf(next, receivedOn, 1500);
      const kind = next();
      if (kind < 0.5) return closed('hh-p', receivedOn, decidedOn);
      if (kind < 0.9) return rejected('hh-p', receivedOn, decidedOn);
      return referred('hh-p', receivedOn);
    });
    const periods: RetentionPeriods =
      next() < 0.7 ? PERIODS : { afterCloseMonths: 1 + Math.floor(next() * 96), afterRejectionMonths: 1 + Math.floor(next() * 24) };
    return { cases, periods };
  };
  /** The household's expiry, or null when it never expires (an open case). */
  const expiryOf = (cases: RetentionCase[], periods: RetentionPeriods): string | null =>
    householdsDueForErasure(cases, FAR_FUTURE, periods).at(0)?.expiredOn ?? null;

  it('the expiry is never earlier than any single case’s own expiry, and is the latest of them', () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const { cases, periods } = caseSet(seed);
      const own = cases.map((c) => expiryOf([c], periods));
      const expiry = expiryOf(cases, periods);
      const context = { seed, cases, periods, own, expiry };
      if (own.includes(null)) {
        expect(context).toEqual({ ...context, expiry: null });
        continue;
      }
      for (const single of own)
        expect({ ...context, earlier: expiry === null || expiry < (single as string) }).toEqual({ ...context, earlier: false });
      expect(context).toEqual({ ...context, expiry: [...own].sort().at(-1) });
    }
  });

  it('is due exactly from its expiry on, whatever the order of the cases', () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const { cases, periods } = caseSet(seed);
      const expiry = expiryOf(cases, periods);
      if (expiry === null) continue;
      const reversed = [...cases].reverse();
      const dayBefore = new Date(Date.parse(`${expiry}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect({ seed, due: householdsDueForErasure(reversed, dayBefore, periods) }).toEqual({ seed, due: [] });
      expect({ seed, due: householdsDueForErasure(reversed, expiry, periods) }).toEqual({
        seed,
        due: [{ householdId: 'hh-p', expiredOn: expiry }],
      });
    }
  });
});
