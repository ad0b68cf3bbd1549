/**
 * The answer of `GET /api/agenda` (docs/openapi.json, schema `Agenda`), the one place the UI
 * names its shape.
 */
export const AGENDA_KINDS = ['visit-overdue', 'goal-review-due', 'help-period-overrun', 'help-period-ending', 'referral-waiting'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

export interface AgendaItem {
  kind: AgendaKind;
  caseId: string;
  householdName: string | null;
  assignedCaseworkerId: string | null;
  dueOn: string;
  days: number;
}

export interface Agenda {
  today: string;
  items: AgendaItem[];
  /** Per kind the reader gets: how many items beyond the limit were left out. */
  more: Record<string, number>;
}
