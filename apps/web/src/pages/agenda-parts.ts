import { CASE_COMMAND_ROLES, type CaseCommandName } from '@wih/vocabulary';
import { AGENDA_KINDS, type Agenda, type AgendaItem, type AgendaKind } from '../api/agenda';
import type { Role } from '../auth/roles';
import { caseFormPath } from './case-anchors';

export interface AgendaGroup {
  kind: AgendaKind;
  items: AgendaItem[];
  /** Items beyond the answer's limit, left out. */
  more: number;
}

/**
 * The agenda's sections: one per kind the reader gets (the answer's `more` names each of them, so
 * an empty kind still shows as checked), in the agenda's fixed order, each item in the order the
 * API sent it (the most urgent first).
 */
export function groupAgenda(agenda: Agenda): AgendaGroup[] {
  return AGENDA_KINDS.filter((kind) => kind in agenda.more || agenda.items.some((i) => i.kind === kind)).map((kind) => ({
    kind,
    items: agenda.items.filter((i) => i.kind === kind),
    more: agenda.more[kind] ?? 0,
  }));
}

/**
 * Which form an entry opens: the first of its kind's commands the person may give (the
 * vocabulary's table, as `actionsFor` reads it). A help period ending or overrun is extended by
 * the Fachstelle; a caseworker, who cannot extend, gets the closure form.
 */
const FORMS_OF: Readonly<Record<AgendaKind, readonly (readonly [CaseCommandName, string])[]>> = {
  'visit-overdue': [['RecordHomeVisit', 'visit']],
  // The goal review is recorded with the home visit.
  'goal-review-due': [['RecordHomeVisit', 'visit']],
  'help-period-overrun': [
    ['ExtendHelpPeriod', 'extension'],
    ['CloseCase', 'closure'],
  ],
  'help-period-ending': [
    ['ExtendHelpPeriod', 'extension'],
    ['CloseCase', 'closure'],
  ],
  'referral-waiting': [['ApproveReferral', 'approval']],
};

export function formFor(kind: AgendaKind, roles: readonly Role[]): string | null {
  const may = (command: CaseCommandName) => CASE_COMMAND_ROLES[command].some((role) => roles.includes(role));
  return FORMS_OF[kind].find(([command]) => may(command))?.[1] ?? null;
}

/** Where an entry leads: the case, at the form for what is due. */
export const agendaLink = (item: AgendaItem, roles: readonly Role[]): string => caseFormPath(item.caseId, formFor(item.kind, roles));
