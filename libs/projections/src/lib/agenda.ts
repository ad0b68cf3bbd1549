import { addDays, daysBetween, type CalendarDate } from '@wih/domain';
import { householdNameOf, type CASE_INDEXES, type CaseDoc, type CaseDocStatus } from './cases.projection';

// The agenda (API.md `GET /api/agenda`, DOMAIN.md rule 7): what needs attention today. Each kind is
// one declaration below; the pure function and the read store's query both come from it, so the
// items a query selects through the indexes are exactly the items this function would find.

/** The kinds in the agenda's fixed order (API.md's order; an overrun before an ending period). */
export const AGENDA_KINDS = ['visit-overdue', 'goal-review-due', 'help-period-overrun', 'help-period-ending', 'referral-waiting'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

/** A help period is "ending" when its planned end is at most this many days away (rule 7). */
export const HELP_PERIOD_ENDING_DAYS = 30;

export interface AgendaItem {
  readonly kind: AgendaKind;
  readonly caseId: string;
  /** Personal data: null once the household is erased. */
  readonly householdName: string | null;
  /** While processing is restricted only the Fachstelle sees the name (decision 0030): the API masks it for others. */
  readonly restricted: boolean;
  readonly assignedCaseworkerId: string | null;
  readonly dueOn: CalendarDate;
  /** Days overdue, over, waiting, or (help-period-ending) left: whole calendar days, never negative. */
  readonly days: number;
}

/** The date fields an agenda kind may select on: each is an index of the cases read model. */
type AgendaDateField = Extract<(typeof CASE_INDEXES)[number], 'nextVisitDueOn' | 'nextGoalReviewOn' | 'plannedEndOn' | 'receivedOn'>;

/** Inclusive bounds on a date; an absent bound is open. */
export interface DateRange {
  readonly from?: CalendarDate;
  readonly to?: CalendarDate;
}

export interface AgendaKindRule {
  /** Only the Fachstelle decides referrals, so only it sees them waiting. */
  readonly fachstelleOnly: boolean;
  readonly status: CaseDocStatus;
  /** The item's `dueOn`; also the index the query ranges over and sorts by (earliest = most urgent). */
  readonly field: AgendaDateField;
  readonly range: (today: CalendarDate) => DateRange;
  readonly days: (dueOn: CalendarDate, today: CalendarDate) => number;
}

const since = (dueOn: CalendarDate, today: CalendarDate) => daysBetween(dueOn, today);

/**
 * One entry per kind (the compiler asks for it when a kind is added). Overdue is `today > due`
 * (isVisitOverdue), so the last overdue due date is yesterday; a planned end today is still
 * "ending" (0 days left), yesterday's is overrun by 1 day.
 */
export const AGENDA_RULES: Readonly<Record<AgendaKind, AgendaKindRule>> = {
  'visit-overdue': {
    fachstelleOnly: false,
    status: 'active',
    field: 'nextVisitDueOn',
    range: (today) => ({ to: addDays(today, -1) }),
    days: since,
  },
  // Due on its own review date (decision 0023): days counts from then, 0 on the day.
  'goal-review-due': {
    fachstelleOnly: false,
    status: 'active',
    field: 'nextGoalReviewOn',
    range: (today) => ({ to: today }),
    days: since,
  },
  'help-period-overrun': {
    fachstelleOnly: false,
    status: 'active',
    field: 'plannedEndOn',
    range: (today) => ({ to: addDays(today, -1) }),
    days: since,
  },
  'help-period-ending': {
    fachstelleOnly: false,
    status: 'active',
    field: 'plannedEndOn',
    range: (today) => ({ from: today, to: addDays(today, HELP_PERIOD_ENDING_DAYS) }),
    days: (dueOn, today) => daysBetween(today, dueOn),
  },
  'referral-waiting': {
    fachstelleOnly: true,
    status: 'referred',
    field: 'receivedOn',
    range: () => ({}),
    days: since,
  },
};

/** The kinds a reader gets, in the agenda's order: a caseworker's referrals wait for the Fachstelle, not for them. */
export const agendaKindsFor = (everyCase: boolean): AgendaKind[] =>
  AGENDA_KINDS.filter((kind) => everyCase || !AGENDA_RULES[kind].fachstelleOnly);

const within = (date: CalendarDate, { from, to }: DateRange): boolean =>
  (from === undefined || date >= from) && (to === undefined || date <= to);

/** The case's item of this kind today, or null when it needs no attention of that kind. */
export function agendaItemOf(kind: AgendaKind, doc: CaseDoc, today: CalendarDate): AgendaItem | null {
  const rule = AGENDA_RULES[kind];
  const dueOn = doc[rule.field];
  if (doc.status !== rule.status || dueOn === null || !within(dueOn, rule.range(today))) return null;
  return {
    kind,
    caseId: doc.caseId,
    householdName: householdNameOf(doc),
    restricted: doc.restricted,
    assignedCaseworkerId: doc.assignedCaseworkerId,
    dueOn,
    days: rule.days(dueOn, today),
  };
}

/**
 * The agenda of these cases today: every item of the given kinds (a case may have several), the
 * kinds in AGENDA_KINDS order, within a kind the earliest due date first (the longest overdue,
 * over or waiting, the fewest days left), ties by case id.
 */
export function agendaOf(docs: readonly CaseDoc[], today: CalendarDate, kinds: readonly AgendaKind[] = AGENDA_KINDS): AgendaItem[] {
  const order = (kind: AgendaKind) => AGENDA_KINDS.indexOf(kind);
  return kinds
    .flatMap((kind) => docs.map((doc) => agendaItemOf(kind, doc, today)))
    .filter((item): item is AgendaItem => item !== null)
    .sort(
      (a, b) =>
        order(a.kind) - order(b.kind) ||
        (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0) ||
        (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0),
    );
}
