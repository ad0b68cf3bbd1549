import type { AgendaKind } from '../api/agenda';

const days = (n: number) => (n === 1 ? '1 Tag' : `${n} Tagen`);

/** Texts of the "Heute" start page (German). */
export const DE_AGENDA = {
  agenda: {
    title: 'Heute',
    today: (date: string) => `Stand: ${date}`,
    intro: 'Was heute Aufmerksamkeit braucht. Jeder Eintrag öffnet den Fall beim passenden Formular.',
    loading: 'Die Aufgaben für heute werden geladen …',
    nothing: 'Für heute steht nichts an.',
    kinds: {
      'visit-overdue': 'Überfällige Hausbesuche',
      'goal-review-due': 'Fällige Zielüberprüfungen',
      'help-period-overrun': 'Hilfezeitraum überschritten',
      'help-period-ending': 'Hilfezeitraum endet bald',
      'referral-waiting': 'Anfragen warten auf Entscheidung',
    } satisfies Record<AgendaKind, string>,
    empty: {
      'visit-overdue': 'Keine überfälligen Hausbesuche.',
      'goal-review-due': 'Keine fälligen Zielüberprüfungen.',
      'help-period-overrun': 'Kein Hilfezeitraum ist überschritten.',
      'help-period-ending': 'Kein Hilfezeitraum endet in den nächsten 30 Tagen.',
      'referral-waiting': 'Keine Anfragen warten.',
    } satisfies Record<AgendaKind, string>,
    /** What the item's days and date mean, per kind. */
    detail: {
      'visit-overdue': (n: number, on: string) => `seit ${days(n)} überfällig (fällig am ${on})`,
      'goal-review-due': (n: number, on: string) => (n === 0 ? `heute fällig (${on})` : `seit ${days(n)} fällig (fällig am ${on})`),
      'help-period-overrun': (n: number, on: string) => `seit ${days(n)} überschritten (geplantes Ende ${on})`,
      'help-period-ending': (n: number, on: string) => (n === 0 ? `endet heute (${on})` : `endet in ${days(n)} (geplantes Ende ${on})`),
      'referral-waiting': (n: number, on: string) => (n === 0 ? `heute eingegangen (${on})` : `wartet seit ${days(n)} (Eingang ${on})`),
    } satisfies Record<AgendaKind, (n: number, on: string) => string>,
    count: (n: number) => (n === 1 ? '1 Eintrag' : `${n} Einträge`),
    caseworker: (id: string) => `Fachkraft: ${id}`,
    noCaseworker: 'noch keine Fachkraft',
    more: (n: number) =>
      n === 1 ? 'Ein weiterer Eintrag ist hier nicht aufgeführt.' : `${n} weitere Einträge sind hier nicht aufgeführt.`,
    toList: 'Zur Fallliste',
  },
} as const;
