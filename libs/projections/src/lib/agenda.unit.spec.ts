import type { CaseEvent } from '@wih/domain';
import { AGENDA_KINDS, AGENDA_RULES, agendaItemOf, agendaKindsFor, agendaOf, type AgendaItem } from './agenda';
import { CASE_COMPOUND_INDEXES, casesProjection, type CaseDoc } from './cases.projection';
import { ANNA, BEN, ev, fold, projected } from './testing/case-history';

const TODAY = '2025-06-01';

/** A case document as the projection folds it, under its own case id. */
const doc = (caseId: string, events: readonly CaseEvent[]): CaseDoc => {
  const folded = fold(casesProjection, projected(events));
  if (folded === null) throw new Error('expected a document');
  return { ...folded, caseId };
};
const referred = (caseId: string, receivedOn: string) => doc(caseId, [ev.received({ receivedOn })]);
/** Approved on `approvedOn` for Anna with this interval and planned end; visits on the given dates. */
const active = (caseId: string, approvedOn: string, visitIntervalDays: number, plannedEndOn: string, ...visits: string[]) =>
  doc(caseId, [
    ev.received({ receivedOn: '2025-01-10' }),
    ev.approved({ approvedOn, visitIntervalDays, plannedEndOn }),
    ...visits.map((on) => ev.visit(on)),
  ]);
/** A planned end far enough away that no help-period item appears. */
const FAR = '2026-01-20';

const kindsOf = (d: CaseDoc) => agendaOf([d], TODAY).map((item) => [item.kind, item.dueOn, item.days]);

describe('agenda: overdue visits (rule 7: today later than last visit or approval + interval)', () => {
  it('lists a visit due yesterday as 1 day overdue', () => {
    expect(kindsOf(active('c1', '2025-05-02', 29, FAR))).toEqual([['visit-overdue', '2025-05-31', 1]]);
  });

  it('does not list a visit due today, nor one due later', () => {
    expect(kindsOf(active('c1', '2025-05-03', 29, FAR))).toEqual([]);
    expect(kindsOf(active('c1', '2025-05-20', 28, FAR))).toEqual([]);
  });

  it('counts from the latest visit, in whole days', () => {
    expect(kindsOf(active('c1', '2025-01-20', 14, FAR, '2025-04-01', '2025-03-01'))).toEqual([['visit-overdue', '2025-04-15', 47]]);
  });
});

describe('agenda: help periods ending (within 30 days, today included) or overrun (planned end passed)', () => {
  // Visits every 90 days from a recent approval: nothing overdue, only the planned end matters.
  const ending = (plannedEndOn: string) => kindsOf(active('c1', '2025-05-30', 90, plannedEndOn));

  it('lists a planned end today as ending with 0 days left', () => {
    expect(ending('2025-06-01')).toEqual([['help-period-ending', '2025-06-01', 0]]);
  });

  it('lists a planned end in 30 days as ending, one in 31 days not', () => {
    expect(ending('2025-07-01')).toEqual([['help-period-ending', '2025-07-01', 30]]);
    expect(ending('2025-07-02')).toEqual([]);
  });

  it('lists a planned end yesterday as overrun by 1 day, not as ending', () => {
    expect(ending('2025-05-31')).toEqual([['help-period-overrun', '2025-05-31', 1]]);
  });

  it('lists an overrun period by the days since its planned end', () => {
    expect(ending('2025-03-01')).toEqual([['help-period-overrun', '2025-03-01', 92]]);
  });
});

describe('agenda: goal reviews due (decision 0023: from the review date until reviewed on or after it)', () => {
  // Approved 2025-05-30 with a 90-day interval and a far planned end: only the goals matter.
  const withPlan = (...events: CaseEvent[]) =>
    kindsOf(
      doc('c1', [
        ev.received({ receivedOn: '2025-01-10' }),
        ev.approved({ approvedOn: '2025-05-30', visitIntervalDays: 90, plannedEndOn: FAR }),
        ev.planned({
          agreedOn: '2025-05-30',
          goals: [
            { goalId: 'goal-rent', area: 'rent_and_debts', actor: 'together', reviewOn: '2025-05-31' },
            { goalId: 'goal-job', area: 'income_and_benefits', actor: 'household', reviewOn: TODAY },
          ],
        }),
        ...events,
      ]),
    );

  it('lists the earliest review date not yet reviewed, with the days since it (0 on the day)', () => {
    expect(withPlan()).toEqual([['goal-review-due', '2025-05-31', 1]]);
    expect(withPlan(ev.reviewed('2025-05-31'))).toEqual([['goal-review-due', TODAY, 0]]);
  });

  it('does not list a goal before its review date, nor goals reviewed or settled', () => {
    const reviewedBoth = [ev.reviewed('2025-05-31'), ev.reviewed(TODAY, { goalId: 'goal-job', status: 'achieved' })];
    expect(withPlan(...reviewedBoth)).toEqual([]);
  });
});

describe('agenda: referrals waiting for a decision', () => {
  it('lists a referral with the days since it was received (0 on the day)', () => {
    expect(kindsOf(referred('c1', '2025-05-20'))).toEqual([['referral-waiting', '2025-05-20', 12]]);
    expect(kindsOf(referred('c1', TODAY))).toEqual([['referral-waiting', TODAY, 0]]);
  });

  it('is for the Fachstelle only: a caseworker gets every other kind', () => {
    expect(agendaKindsFor(true)).toEqual([...AGENDA_KINDS]);
    expect(agendaKindsFor(false)).toEqual(['visit-overdue', 'goal-review-due', 'help-period-overrun', 'help-period-ending']);
    expect(agendaOf([referred('c1', '2025-05-20')], TODAY, agendaKindsFor(false))).toEqual([]);
  });
});

describe('agenda: which cases never appear', () => {
  it('lists no closed case, however overdue and overrun it was', () => {
    const closed = doc('c1', [
      ev.received(),
      ev.approved({ approvedOn: '2025-01-20', visitIntervalDays: 7, plannedEndOn: '2025-03-01' }),
      ev.closed({ closedOn: '2025-05-01' }),
    ]);
    expect(closed.plannedEndOn).toBe('2025-03-01');
    expect(kindsOf(closed)).toEqual([]);
  });

  it('lists no rejected referral', () => {
    expect(kindsOf(doc('c1', [ev.received({ receivedOn: '2025-05-01' }), ev.rejected({ rejectedOn: '2025-05-10' })]))).toEqual([]);
  });

  it('lists an approved case no longer as a waiting referral', () => {
    expect(agendaItemOf('referral-waiting', active('c1', '2025-05-30', 90, FAR), TODAY)).toBeNull();
  });
});

describe('agenda: items and their order', () => {
  it('lists one case under each kind that applies, with its household name and caseworker', () => {
    const items = agendaOf([active('c1', '2025-01-20', 28, '2025-05-01')], TODAY);
    expect(items).toEqual<AgendaItem[]>([
      {
        kind: 'visit-overdue',
        caseId: 'c1',
        householdName: 'Familie Öztürk',
        restricted: false,
        assignedCaseworkerId: ANNA,
        dueOn: '2025-02-17',
        days: 104,
      },
      {
        kind: 'help-period-overrun',
        caseId: 'c1',
        householdName: 'Familie Öztürk',
        restricted: false,
        assignedCaseworkerId: ANNA,
        dueOn: '2025-05-01',
        days: 31,
      },
    ]);
  });

  it('shows no name once the household is erased', () => {
    const erased = doc('c1', [ev.received({ receivedOn: '2025-05-20' }), ev.erased('2025-05-25')]);
    expect(agendaOf([erased], TODAY)).toEqual([expect.objectContaining({ kind: 'referral-waiting', householdName: null })]);
  });

  it('orders kinds as AGENDA_KINDS, then the earliest due date first, then the case id', () => {
    const docs = [
      referred('r-late', '2025-05-30'),
      active('e-soon', '2025-05-30', 90, '2025-06-05'),
      referred('r-early', '2025-04-01'),
      active('v-b', '2025-05-01', 14, FAR),
      active('e-later', '2025-05-30', 90, '2025-06-20'),
      active('v-a', '2025-05-01', 14, FAR),
      active('v-old', '2025-03-01', 14, '2025-05-15'),
    ];
    const listed = agendaOf(docs, TODAY).map((item) => `${item.kind} ${item.caseId}`);
    expect(listed).toEqual([
      'visit-overdue v-old',
      'visit-overdue v-a',
      'visit-overdue v-b',
      'help-period-overrun v-old',
      'help-period-ending e-soon',
      'help-period-ending e-later',
      'referral-waiting r-early',
      'referral-waiting r-late',
    ]);
  });
});

describe('agenda: every kind reads through an index', () => {
  it.each(AGENDA_KINDS)('%s ranges over a date with compound indexes on status and on caseload', (kind) => {
    const { field } = AGENDA_RULES[kind];
    expect(CASE_COMPOUND_INDEXES).toContainEqual(['status', field]);
    expect(CASE_COMPOUND_INDEXES).toContainEqual(['caseloadOf', field]);
  });

  it('keeps the assigned caseworker on the item (a reassigned case is the new caseworker’s)', () => {
    const reassigned = doc('c1', [
      ev.received(),
      ev.approved({ approvedOn: '2025-01-20', visitIntervalDays: 28, plannedEndOn: FAR }),
      ev.reassigned(BEN, '2025-02-01'),
    ]);
    expect(agendaItemOf('visit-overdue', reassigned, TODAY)?.assignedCaseworkerId).toBe(BEN);
  });
});
