import { CASE_CATEGORY, type CaseEvent } from '@wih/domain';
import { activitiesProjection } from './activities.projection';
import { PROJECTIONS, projectionByName } from './all';
import { casesProjection } from './cases.projection';
import { BEN, NOTES, ev, fold, projected } from './testing/case-history';
import { timelineProjection } from './timeline.projection';

/** Histories every projection must replay harmlessly; a projection added to PROJECTIONS is covered too. */
const HISTORIES: Record<string, CaseEvent[]> = {
  lifecycle: [
    ev.received({}, { household: { name: 'Familie Öztürk', address: 'Keupstr. 1' }, notes: NOTES }),
    ev.approved(),
    ev.visit('2025-02-15', { notes: NOTES }),
    ev.visit('2025-03-10'),
    ev.visit('2025-03-01'),
    ev.mediated('2025-03-20', { notes: NOTES }),
    ev.secured('2025-04-01'),
    ev.extended('2026-07-20', '2025-04-02'),
    ev.reassigned(BEN, '2025-04-03'),
    ev.closed({ reason: 'goal_achieved', housingAtClose: 'own_tenancy' }, { notes: NOTES }),
  ],
  rejection: [ev.received(), ev.rejected({}, { notes: NOTES })],
  referralOnly: [ev.received()],
};
const cases = Object.entries(HISTORIES);

describe('every projection', () => {
  it('is registered once, by name', () => {
    expect(PROJECTIONS.map((p) => p.name)).toEqual(['cases', 'timeline', 'activities']);
    expect(projectionByName('activities')).toBe(activitiesProjection);
    expect(projectionByName('cases')).toBe(casesProjection);
    expect(projectionByName('timeline')).toBe(timelineProjection);
    expect(projectionByName('nope')).toBeUndefined();
  });

  // The case histories below are for the case category's projections; activities.projection.unit.spec.ts replays its own.
  const caseProjections = PROJECTIONS.filter((p) => p.category === CASE_CATEGORY);
  it('leaves no projection without replay tests', () => {
    expect(PROJECTIONS.filter((p) => !caseProjections.includes(p)).map((p) => p.name)).toEqual(['activities']);
  });

  describe.each(caseProjections.map((p) => [p.name, p] as const))('%s: replay twice, nothing changes', (_name, projection) => {
    it.each(cases)('%s: folding the history again onto the result changes nothing', (_history, events) => {
      const once = fold(projection, projected(events));
      expect(once).not.toBeNull();
      expect(fold(projection, projected(events), once)).toStrictEqual(once);
    });

    it.each(cases)('%s: each event applied twice in a row equals once', (_history, events) => {
      const stream = projected(events);
      expect(
        fold(
          projection,
          stream.flatMap((e) => [e, e]),
        ),
      ).toStrictEqual(fold(projection, stream));
    });

    it.each(cases)('%s: the index values are JSON scalars and cover the declared indexes', (_history, events) => {
      const doc = fold(projection, projected(events));
      const index = projection.indexOf(doc);
      expect(Object.keys(index).sort()).toEqual([...projection.indexes].sort());
      for (const value of Object.values(index)) expect(['string', 'number', 'boolean', 'object']).toContain(typeof value);
      expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc);
    });
  });
});
