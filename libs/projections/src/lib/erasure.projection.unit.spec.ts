import type { CaseEvent } from '@wih/domain';
import { toCaseDetail, toCaseloadItem } from './case-views';
import { casesProjection, caseIndexOf, type CaseDoc } from './cases.projection';
import { HOUSEHOLD, NOTES, WORDING, ev, fold, projected } from './testing/case-history';
import { timelineProjection, type TimelineDoc } from './timeline.projection';

const caseDoc = (events: readonly CaseEvent[]) => fold(casesProjection, projected(events)) as CaseDoc;
const timeline = (events: readonly CaseEvent[]) => fold(timelineProjection, projected(events)) as TimelineDoc;

const history: CaseEvent[] = [
  ev.received({}, { household: HOUSEHOLD, notes: NOTES }),
  ev.approved(),
  ev.visit('2025-02-01', { notes: NOTES }),
  ev.mediated('2025-02-10', { notes: 'Termin beim Jobcenter' }),
  ev.secured('2025-03-01'),
  ev.closed({ closedOn: '2025-06-10', reason: 'goal_achieved' }, { notes: 'Mietvertrag unterschrieben' }),
];

describe('PersonalDataErased in the cases projection', () => {
  it.each([
    ['referred', history.slice(0, 1)],
    ['active', history.slice(0, 4)],
    ['closed', history],
  ])('a %s case: the household becomes {erased: true}, every fact stays', (_status, events) => {
    const before = caseDoc(events);
    const after = caseDoc([...events, ev.erased('2025-07-01')]);
    expect(after).toEqual({ ...before, household: { erased: true }, revision: events.length, lastPosition: expect.any(String) });
  });

  it('caseload and index: the household name is gone, the rest answers as before', () => {
    const after = caseDoc([...history, ev.erased('2025-07-01')]);
    expect(caseIndexOf(after)['householdName']).toBeNull();
    expect(toCaseloadItem(after, '2025-07-01')).toMatchObject({ householdName: null, status: 'closed' });
    expect(toCaseDetail(after, '2025-07-01').household).toEqual({ erased: true });
  });
});

describe('PersonalDataErased in the timeline', () => {
  const erasedTimeline = timeline([...history, ev.erased('2025-07-01')]);
  const text = JSON.stringify(erasedTimeline);

  it('drops the personal fields of every earlier entry and says so', () => {
    for (const secret of [HOUSEHOLD.name, HOUSEHOLD.address, NOTES, 'Termin beim Jobcenter', 'Mietvertrag unterschrieben']) {
      expect(text).not.toContain(secret);
    }
    const [received, , visit] = erasedTimeline.items;
    expect(received.data).toMatchObject({ household: { erased: true }, personalDataErased: true, adults: 2 });
    expect(visit.data).toEqual({ visitedOn: '2025-02-01', householdMet: true, concerns: ['tenancy'], personalDataErased: true });
  });

  it('keeps every entry and its facts, and adds the erasure itself', () => {
    expect(erasedTimeline.items.map((item) => item.type)).toEqual([...history.map((e) => e.type), 'PersonalDataErased']);
    expect(erasedTimeline.items.at(-1)).toMatchObject({ occurredOn: '2025-07-01', data: { erasedOn: '2025-07-01' } });
    expect(erasedTimeline.items[4].data).toEqual({ securedOn: '2025-03-01', outcome: 'tenancy_preserved' });
  });

  it('a replay of the erasure changes nothing', () => {
    const events = projected([...history, ev.erased('2025-07-01')]);
    const again = timelineProjection.evolve(erasedTimeline, events[events.length - 1]);
    expect(again).toEqual(erasedTimeline);
  });
});

describe("PersonalDataErased and the help plan's wording", () => {
  const planned: CaseEvent[] = [
    ev.received(),
    ev.approved(),
    ev.planned({}, { wording: WORDING, notes: 'Plan am Küchentisch besprochen' }),
    ev.reviewed('2025-03-01', { status: 'achieved' }, { notes: 'Ratenplan steht' }),
  ];
  const secrets = [...Object.values(WORDING), 'Plan am Küchentisch besprochen', 'Ratenplan steht'];

  it('the case detail shows each goal with its facts and the wording as erased', () => {
    const after = caseDoc([...planned, ev.erased('2025-07-01')]);
    const text = JSON.stringify(toCaseDetail(after, '2025-07-01'));
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(after.helpPlan?.goals.map((goal) => [goal.goalId, goal.status, goal.wording])).toEqual([
      ['goal-rent', 'achieved', { erased: true }],
      ['goal-job', 'open', { erased: true }],
    ]);
  });

  it('a rebuild after the erasure (the personal parts unreadable) shows the same', () => {
    const unreadable = planned.map((event) => ('personal' in event ? { ...event, personal: null } : event)) as unknown as CaseEvent[];
    const rebuilt = caseDoc([...unreadable, ev.erased('2025-07-01')]);
    expect(rebuilt.helpPlan).toEqual(caseDoc([...planned, ev.erased('2025-07-01')]).helpPlan);
  });

  it('the timeline keeps the goals and drops their wording and the notes', () => {
    const erased = timeline([...planned, ev.erased('2025-07-01')]);
    const text = JSON.stringify(erased);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(erased.items[2].data).toMatchObject({
      agreedOn: '2025-02-01',
      personalDataErased: true,
      goals: [
        { goalId: 'goal-rent', area: 'rent_and_debts', wording: { erased: true } },
        { goalId: 'goal-job', area: 'income_and_benefits', wording: { erased: true } },
      ],
    });
    const unreadable = planned.map((event) => ('personal' in event ? { ...event, personal: null } : event)) as unknown as CaseEvent[];
    expect(timeline([...unreadable, ev.erased('2025-07-01')])).toEqual(erased);
  });
});
