import type { components } from './schema';

/** The answer of `GET /api/agenda` (the generated schema `Agenda`), the one place the UI names its parts. */
export type Agenda = components['schemas']['Agenda'];
export type AgendaItem = Agenda['items'][number];
export type AgendaKind = AgendaItem['kind'];

/** The kinds in the agenda's order (decision 0028); `satisfies` keeps them within the schema's enum. */
export const AGENDA_KINDS = [
  'visit-overdue',
  'goal-review-due',
  'help-period-overrun',
  'help-period-ending',
  'referral-waiting',
] as const satisfies readonly AgendaKind[];
