/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { Agenda, AgendaItem } from '../api/agenda';
import type { CaseDetail, UiConfig } from '../api/schemas';
import { AuthProvider } from '../auth/session';
import { AgendaPage } from './Agenda';
import { groupAgenda } from './agenda-parts';
import { actionOfHash } from './case-anchors';
import { CaseActions } from './CaseActions';

/** "Heute": the agenda's sections in their order, what each entry says, and which form it opens. */
const DEV: UiConfig = { auth: 'dev', issuer: null, clientId: null, rolesClaim: 'roles' };
const part = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const signIn = (roles: string[]) =>
  sessionStorage.setItem(
    'wih.session',
    `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'anna', roles, exp: Math.floor(Date.now() / 1000) + 3600 })}.signature`,
  );

const id = (n: number) => `0b7f6c8e-1111-4222-8333-00000000000${n}`;
const item = (
  n: number,
  kind: AgendaItem['kind'],
  dueOn: string,
  days: number,
  householdName: string | null = `Haushalt ${n}`,
): AgendaItem => ({
  kind,
  caseId: id(n),
  householdName,
  assignedCaseworkerId: n % 2 ? 'anna' : null,
  dueOn,
  days,
});

let answer: unknown;
let urls: string[];
beforeEach(() => {
  sessionStorage.clear();
  urls = [];
  global.fetch = jest.fn(async (url: string | URL | Request) => {
    urls.push(String(url));
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
});

const show = () =>
  render(
    <MemoryRouter initialEntries={['/heute']}>
      <AuthProvider config={DEV}>
        <AgendaPage />
      </AuthProvider>
    </MemoryRouter>,
  );
const section = (name: RegExp) => screen.getByRole('region', { name });
const hrefOf = (link: HTMLElement) => link.getAttribute('href');

const CASEWORKER_AGENDA: Agenda = {
  today: '2026-03-14',
  // The API's order: kinds in the agenda's order, the most urgent first within a kind.
  items: [
    item(1, 'visit-overdue', '2026-02-01', 41),
    item(2, 'visit-overdue', '2026-03-10', 4, null),
    item(1, 'help-period-overrun', '2026-03-13', 1),
    item(3, 'help-period-ending', '2026-03-15', 1),
  ],
  more: { 'visit-overdue': 0, 'goal-review-due': 0, 'help-period-overrun': 0, 'help-period-ending': 0 },
};

it("groups a caseworker's agenda by kind in the agenda's order, in German dates, each entry opening the case at its form", async () => {
  signIn(['caseworker']);
  answer = CASEWORKER_AGENDA;
  show();
  expect(screen.getByRole('status').textContent).toBe('Die Aufgaben für heute werden geladen …');
  await screen.findByText('Stand: 14.03.2026');
  expect(urls).toEqual(['/api/agenda']);
  // Every kind the caseworker gets, in order; the referrals wait for the Fachstelle, not for them.
  expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
    'Überfällige Hausbesuche (2)',
    'Fällige Zielüberprüfungen (0)',
    'Hilfezeitraum überschritten (1)',
    'Hilfezeitraum endet bald (1)',
  ]);
  const overdue = within(section(/Überfällige Hausbesuche/)).getAllByRole('link');
  expect(overdue.map((l) => l.textContent)).toEqual([
    'Haushalt 1seit 41 Tagen überfällig (fällig am 01.02.2026)',
    '(Daten gelöscht)seit 4 Tagen überfällig (fällig am 10.03.2026)',
  ]);
  expect(overdue.map(hrefOf)).toEqual([`/faelle/${id(1)}#besuch`, `/faelle/${id(2)}#besuch`]);
  expect(within(section(/Fällige Zielüberprüfungen/)).getByText('Keine fälligen Zielüberprüfungen.')).toBeTruthy();
  // A caseworker cannot extend a help period: the entry opens the closure form.
  const overrun = within(section(/überschritten/)).getByRole('link');
  expect(overrun.textContent).toBe('Haushalt 1seit 1 Tag überschritten (geplantes Ende 13.03.2026)');
  expect(hrefOf(overrun)).toBe(`/faelle/${id(1)}#abschluss`);
  expect(within(section(/endet bald/)).getByRole('link').textContent).toBe('Haushalt 3endet in 1 Tag (geplantes Ende 15.03.2026)');
  expect(screen.queryByText(/Fachkraft:/)).toBeNull();
});

it('shows the Fachstelle the referrals waiting with their days, who has each case, the extension form, and what was left out', async () => {
  signIn(['fachstelle']);
  answer = {
    today: '2026-03-14',
    items: [
      item(3, 'help-period-ending', '2026-04-01', 18),
      item(4, 'referral-waiting', '2026-03-09', 5),
      item(5, 'referral-waiting', '2026-03-14', 0),
    ],
    more: { 'visit-overdue': 0, 'goal-review-due': 0, 'help-period-overrun': 0, 'help-period-ending': 0, 'referral-waiting': 3 },
  } satisfies Agenda;
  show();
  const waiting = within(await screen.findByRole('region', { name: /Anfragen warten/ }));
  expect(screen.getByRole('heading', { name: 'Anfragen warten auf Entscheidung (5)' })).toBeTruthy();
  const links = waiting.getAllByRole('link', { name: /Haushalt/ });
  expect(links.map((l) => l.textContent)).toEqual([
    'Haushalt 4wartet seit 5 Tagen (Eingang 09.03.2026)noch keine Fachkraft',
    'Haushalt 5heute eingegangen (14.03.2026)Fachkraft: anna',
  ]);
  expect(links.map(hrefOf)).toEqual([`/faelle/${id(4)}#bewilligung`, `/faelle/${id(5)}#bewilligung`]);
  expect(waiting.getByText('3 weitere Einträge sind hier nicht aufgeführt.')).toBeTruthy();
  expect(hrefOf(waiting.getByRole('link', { name: 'Zur Fallliste' }))).toBe('/fachstelle');
  const ending = within(section(/endet bald/)).getByRole('link');
  expect(ending.textContent).toBe('Haushalt 3endet in 18 Tagen (geplantes Ende 01.04.2026)Fachkraft: anna');
  expect(hrefOf(ending)).toBe(`/faelle/${id(3)}#verlaengerung`);
  expect(within(section(/Überfällige Hausbesuche/)).getByText('Keine überfälligen Hausbesuche.')).toBeTruthy();
});

it('says so when nothing is due today', async () => {
  signIn(['caseworker']);
  answer = {
    today: '2026-03-14',
    items: [],
    more: { 'visit-overdue': 0, 'goal-review-due': 0, 'help-period-overrun': 0, 'help-period-ending': 0 },
  };
  show();
  expect(await screen.findByText('Für heute steht nichts an.')).toBeTruthy();
  expect(screen.queryAllByRole('region')).toEqual([]);
});

it('keeps one section per kind the reader gets, in order, whatever order the items came in', () => {
  const groups = groupAgenda({
    today: '2026-03-14',
    items: [
      item(1, 'help-period-ending', '2026-03-20', 6),
      item(2, 'visit-overdue', '2026-03-01', 13),
      item(3, 'help-period-ending', '2026-03-30', 16),
    ],
    more: { 'visit-overdue': 2, 'goal-review-due': 0, 'help-period-overrun': 0, 'help-period-ending': 0 },
  });
  expect(groups.map((g) => [g.kind, g.items.map((i) => i.caseId), g.more])).toEqual([
    ['visit-overdue', [id(2)], 2],
    ['goal-review-due', [], 0],
    ['help-period-overrun', [], 0],
    ['help-period-ending', [id(1), id(3)], 0],
  ]);
});

describe('the form an address names', () => {
  const detail = {
    caseId: id(1),
    householdId: id(9),
    status: 'active',
    revision: 3,
    receivedOn: '2026-01-10',
    approvedOn: '2026-01-15',
    plannedEndOn: '2026-07-15',
    assignedCaseworkerId: 'anna',
    visitIntervalDays: 28,
    lastVisitOn: null,
    nextVisitDueOn: '2026-02-12',
    overdue: true,
    housingSecured: null,
    closure: null,
    counts: { visits: 0, mediations: 0 },
    household: { name: 'Familie Test', address: 'Weg 1' },
  } as unknown as CaseDetail;
  const actions = (initial: string | null, roles: ('caseworker' | 'fachstelle')[]) =>
    render(
      <CaseActions
        detail={detail}
        roles={roles}
        initial={initial}
        onDone={() => undefined}
        onStale={async () => undefined}
        onOpen={() => undefined}
      />,
    );

  it('reads the anchor as a form', () => {
    expect([
      actionOfHash('#besuch'),
      actionOfHash('#verlaengerung'),
      actionOfHash('#bewilligung'),
      actionOfHash('#unbekannt'),
      actionOfHash(''),
    ]).toEqual(['visit', 'extension', 'approval', null, null]);
  });

  it('opens that form at once, with its date input holding an ISO date', () => {
    actions('visit', ['caseworker']);
    expect(screen.getByRole('button', { name: 'Hausbesuch erfassen …' }).getAttribute('aria-expanded')).toBe('true');
    const form = screen.getByRole('form', { name: 'Hausbesuch erfassen' });
    expect((within(form).getByLabelText(/Datum/) as HTMLInputElement).value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('opens nothing when the person may not give that command now', () => {
    actions('extension', ['caseworker']);
    expect(screen.queryByRole('form')).toBeNull();
    expect(screen.getAllByRole('button').every((b) => b.getAttribute('aria-expanded') === 'false')).toBe(true);
  });
});
