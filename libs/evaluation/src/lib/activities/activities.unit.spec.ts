import { anonymise } from '../anonymise';
import { buildTable } from '../disclosure/table';
import { computeStatistics, type RawStatistics } from '../statistics';
import { activity, emptyActivityFigures, factsOf, log, referral } from '../testing/history';
import { computeActivities } from './activities';

const PERIOD = { from: '2024-01-01', to: '2024-12-31' };
const ASOF = '2025-02-01T12:00:00.000Z';
const facts = (...events: ReturnType<typeof activity>[]) => factsOf([], ASOF, events).activities;

describe('computeActivities: the activities beyond single cases in the period, by `on`', () => {
  it('counts activities, hours and participants, and each breakdown with count and hours', () => {
    const figures = computeActivities(
      facts(
        activity('a1', '2024-01-01', {
          kind: 'networking',
          partnerKinds: ['jobcenter', 'parish'],
          district: 'porz',
          hours: 2.25,
          participants: 12,
        }),
        activity('a2', '2024-12-31', {
          kind: 'networking',
          partnerKinds: ['jobcenter'],
          district: 'citywide',
          hours: 0.5,
          participants: 40,
        }),
        activity('a3', '2024-06-01', { kind: 'training', partnerKinds: [], district: 'porz', hours: 8, participants: 0 }),
        activity('a4', '2023-12-31', { hours: 5 }), // before the period
        activity('a5', '2025-01-01', { hours: 5, recordedAt: '2025-01-01T10:00:00.000Z' }), // after it
      ),
      PERIOD,
    );
    const empty = emptyActivityFigures();
    expect(figures).toEqual({
      total: 3,
      hours: 10.75,
      participants: 52,
      byKind: { ...empty.byKind, networking: { count: 2, hours: 2.75 }, training: { count: 1, hours: 8 } },
      // a1 has two partners: it counts under each, so the partners' cells add up to more than the total
      byPartner: { ...empty.byPartner, jobcenter: { count: 2, hours: 2.75 }, parish: { count: 1, hours: 2.25 } },
      byDistrict: { ...empty.byDistrict, porz: { count: 2, hours: 10.25 }, citywide: { count: 1, hours: 0.5 } },
    });
  });

  it('lists every code of each vocabulary, so the shape is stable', () => {
    const empty = emptyActivityFigures();
    expect(Object.keys(empty.byKind)).toHaveLength(7);
    expect(Object.keys(empty.byDistrict)).toHaveLength(10);
    expect(Object.keys(empty.byPartner)).toHaveLength(12);
    expect(Object.values(empty.byDistrict)).toEqual(Array(10).fill({ count: 0, hours: 0 }));
  });
});

describe('the facts: activities as known at asOf', () => {
  it('counts an activity recorded at or before asOf, not one recorded after it', () => {
    const known = facts(
      activity('a1', '2024-05-01', { recordedAt: ASOF }),
      activity('a2', '2024-05-01', { recordedAt: '2025-02-01T12:00:00.001Z' }),
    );
    expect(known.map((a) => a.activityId)).toEqual(['a1']);
  });

  it('counts a redelivered event once', () => {
    expect(facts(activity('a1', '2024-05-01'), activity('a1', '2024-05-01'))).toHaveLength(1);
  });
});

describe('disclosure control: activities are published as they are, outside the household audit (decision 0024)', () => {
  const request = { ...PERIOD, asOf: ASOF };
  const raw = computeStatistics(factsOf(log(referral('c1', '2024-02-01')), ASOF, [activity('a1', '2024-03-01')]), request);

  it('publishes a single activity as 1, beside household counts that are hidden', () => {
    const published = anonymise(raw);
    expect(published.referrals.total).toBe('<5');
    expect(published.activities.total).toBe(1);
    expect(published.activities.byDistrict.kalk).toEqual({ count: 1, hours: 2 });
    expect(published.withChildren).not.toHaveProperty('activities');
  });

  it('refuses a part of the answer that is neither an audited block nor declared outside the audit', () => {
    const unknown = { ...raw, staffing: { total: 3 } } as unknown as RawStatistics;
    expect(() => buildTable([{ prefix: '', raw: unknown }])).toThrow(/all\.staffing is neither an audited block/);
    const nested = { ...raw, withChildren: { ...raw.withChildren, activities: raw.activities } } as unknown as RawStatistics;
    expect(() => buildTable([{ prefix: '', raw: nested }])).toThrow(/withChildren\.activities is neither/);
  });

  it('leaves the household audit as it was: no activity figure in its table', () => {
    const table = buildTable([{ prefix: '', raw }]);
    expect(table.unknowns.some((u) => u.path.includes('activities'))).toBe(false);
  });
});
