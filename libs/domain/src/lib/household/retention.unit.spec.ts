import { householdsDueForErasure, type RetentionCase, type RetentionPeriods } from './retention';

const PERIODS: RetentionPeriods = { afterCloseMonths: 72, afterRejectionMonths: 12 };

let next = 0;
const referred = (householdId: string, receivedOn: string): RetentionCase =>
  ({ caseId: `case-${String(++next).padStart(4, '0')}`, householdId, receivedOn, rejectedOn: null, closure: null });
const closed = (householdId: string, receivedOn: string, closedOn: string): RetentionCase =>
  ({ ...referred(householdId, receivedOn), closure: { closedOn } });
const rejected = (householdId: string, receivedOn: string, rejectedOn: string): RetentionCase =>
  ({ ...referred(householdId, receivedOn), rejectedOn });

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
    given(cases).when('2026-03-31').then([{ householdId: 'hh-a', expiredOn: '2026-03-31' }]);
  });

  it('a rejection expires after 1 year', () => {
    const cases = [rejected('hh-b', '2024-05-01', '2024-05-20')];
    given(cases).when('2025-05-19').then([]);
    given(cases).when('2025-05-20').then([{ householdId: 'hh-b', expiredOn: '2025-05-20' }]);
  });

  it('a household with an open case never expires, however old its other cases are', () => {
    given([closed('hh-c', '2010-01-01', '2011-01-01'), referred('hh-c', '2030-01-01')]).when('2031-01-01').then([]);
    given([rejected('hh-c', '2010-01-01', '2010-02-01'), { ...referred('hh-c', '2010-03-01'), closure: null }]).when('2031-01-01').then([]);
  });

  it("the period runs from the household's latest case", () => {
    // Closed 2020, then a rejected referral in 2024: the rejection is the latest case.
    const cases = [closed('hh-d', '2019-01-01', '2020-01-15'), rejected('hh-d', '2024-06-01', '2024-06-10')];
    given(cases).when('2025-06-09').then([]);
    given(cases).when('2025-06-10').then([{ householdId: 'hh-d', expiredOn: '2025-06-10' }]);
  });

  it('a closing keeps its household through the 24-month repeat-case window, even after a later rejection', () => {
    const cases = [closed('hh-e', '2023-01-01', '2024-03-01'), rejected('hh-e', '2024-04-01', '2024-04-15')];
    given(cases).when('2025-04-15').then([]);
    given(cases).when('2026-03-01').then([{ householdId: 'hh-e', expiredOn: '2026-03-01' }]);
  });

  it('months are calendar months clamped to the month end; periods are configurable', () => {
    const cases = [closed('hh-f', '2024-01-01', '2024-02-29')];
    given(cases).when('2025-02-27', { afterCloseMonths: 12, afterRejectionMonths: 1 }).then([]);
    given(cases).when('2026-02-28', { afterCloseMonths: 12, afterRejectionMonths: 1 }).then([{ householdId: 'hh-f', expiredOn: '2026-02-28' }]);
  });

  it('leaves out erased households and orders the answer by expiry, then id', () => {
    const cases = [
      rejected('hh-z', '2020-01-01', '2020-01-02'), rejected('hh-y', '2020-01-01', '2020-01-02'),
      closed('hh-x', '2010-01-01', '2010-01-02'), rejected('hh-w', '2020-01-01', '2020-01-02'),
    ];
    given(cases, ['hh-w']).when('2030-01-01').then([
      { householdId: 'hh-x', expiredOn: '2016-01-02' },
      { householdId: 'hh-y', expiredOn: '2021-01-02' },
      { householdId: 'hh-z', expiredOn: '2021-01-02' },
    ]);
  });

  it('does not depend on the order of the cases', () => {
    const cases = [rejected('hh-g', '2024-06-01', '2024-06-10'), closed('hh-g', '2019-01-01', '2020-01-15')];
    expect(householdsDueForErasure(cases, '2025-06-10', PERIODS)).toEqual(householdsDueForErasure([...cases].reverse(), '2025-06-10', PERIODS));
  });
});
