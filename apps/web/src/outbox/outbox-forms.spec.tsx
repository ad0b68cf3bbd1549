/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import 'fake-indexeddb/auto';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { MemoryRouter } from 'react-router';
import type { CaseDetail } from '../api/schemas';
import { activeCaseDetail } from '../testing/case-detail';
import { App } from '../App';
import { AuthProvider } from '../auth/session';
import { ActivityForm } from '../forms/activity-form';
import { HousingForm, VisitForm } from '../forms/caseworker-forms';
import { OutboxProvider } from './OutboxProvider';
import { OutboxStatus } from './OutboxStatus';
import { closeOutboxDatabase, Outbox } from './store';
import { json, stubFetch, type SentRequest } from '../testing/fetch';

/** The command forms with the outbox: offline and failed sends wait, other forms behave as before, sign-out clears it. */
const detail: CaseDetail = activeCaseDetail();

let sent: SentRequest[];
let answers: (Response | Error)[];
let online: boolean;

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  closeOutboxDatabase();
  sessionStorage.clear();
  online = true;
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online });
  ({ sent, answers } = stubFetch(() => new TypeError('Failed to fetch')));
});

const stored = async () => (await Outbox.open('anna')).list();

const GOAL_A = '2b7f6c8e-1111-4222-8333-444455556661';
const GOAL_B = '2b7f6c8e-1111-4222-8333-444455556662';
const goal = (goalId: string, wording: string) => ({
  goalId,
  area: 'rent_and_debts',
  actor: 'household',
  reviewOn: '2025-03-01',
  wording,
  status: 'open',
  householdView: 'not_asked',
  lastReviewedOn: null,
});
const withPlan: CaseDetail = {
  ...detail,
  helpPlan: { agreedOn: '2025-02-01', householdParticipated: true, goals: [goal(GOAL_A, 'Miete'), goal(GOAL_B, 'Antrag')] },
};

function renderVisit(handlers: { onDone?: jest.Mock; onQueued?: jest.Mock; onProgress?: jest.Mock } = {}, of: CaseDetail = detail) {
  return render(
    <MemoryRouter>
      <OutboxProvider owner="anna">
        <OutboxStatus />
        <VisitForm
          detail={of}
          onDone={handlers.onDone ?? jest.fn()}
          onProgress={handlers.onProgress}
          onStale={async () => undefined}
          onQueued={handlers.onQueued}
        />
      </OutboxProvider>
    </MemoryRouter>,
  );
}

async function fillVisit(notes: string, reviews: [number, string, string][] = []) {
  const user = userEvent.setup();
  await user.click(screen.getByRole('radio', { name: 'Ja' }));
  await user.type(screen.getByLabelText(/Notizen/), notes);
  for (const [n, status, view] of reviews) {
    const group = screen.getByRole('group', { name: new RegExp(`^Ziel ${n}:`) });
    await user.selectOptions(within(group).getByLabelText(/^Stand/), status);
    await user.selectOptions(within(group).getByLabelText(/^Sicht des Haushalts/), view);
  }
  await user.click(screen.getByRole('button', { name: 'Hausbesuch speichern' }));
  return user;
}

describe('forms with the outbox', () => {
  it('offline: the visit waits in the outbox, sends nothing, says it is not saved; back online it is sent once with its key', async () => {
    online = false;
    const onDone = jest.fn();
    const onQueued = jest.fn();
    renderVisit({ onDone, onQueued });
    await fillVisit('Gespräch im Flur');

    await screen.findByText(/Noch nicht gespeichert/);
    expect(onQueued).toHaveBeenCalledTimes(1);
    expect(onDone).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
    expect(screen.getByRole('status', { name: 'Postausgang-Status' }).textContent).toBe('1 Eintrag wartet auf Verbindung');
    const [entry] = await stored();
    expect(entry).toMatchObject({ kind: 'visit', caseId: detail.caseId, expectedRevision: 3, state: 'waiting' });
    expect(entry?.body).toMatchObject({ householdMet: true, notes: 'Gespräch im Flur' });

    online = true;
    answers.push(json(200, { caseId: detail.caseId, revision: 4, position: '42' }));
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Postausgang-Status' }).textContent).toBe('1 Eintrag gesendet und gespeichert'),
    );
    expect(sent.map((s) => [s.url, s.headers['idempotency-key'], s.headers['if-match']])).toEqual([
      [`/api/cases/${detail.caseId}/visits`, entry?.idempotencyKey, '"3"'],
    ]);
    expect(await stored()).toEqual([]);
  });

  it('online, a send that gets no answer waits in the outbox with the key it was sent with', async () => {
    answers.push(new TypeError('Failed to fetch'));
    renderVisit({ onQueued: jest.fn() });
    await fillVisit('Kurz');
    await screen.findByText(/Noch nicht gespeichert/);
    const [entry] = await stored();
    expect(sent).toHaveLength(1);
    expect(entry?.idempotencyKey).toBe(sent[0]?.headers['idempotency-key']);
  });

  it('a server error is no reason to wait: the form says so and keeps the input, as before', async () => {
    answers.push(json(500, { status: 500, title: 'Internal' }));
    renderVisit();
    await fillVisit('Kurz');
    await screen.findByText('Unerwarteter Fehler.');
    expect(await stored()).toEqual([]);
  });

  it('offline, a visit with two goal reviews: three entries in order, each with its own key; back online each at the revision the one before produced', async () => {
    online = false;
    const onQueued = jest.fn();
    renderVisit({ onQueued }, withPlan);
    await fillVisit('Gespräch', [
      [1, 'in_progress', 'partly'],
      [2, 'achieved', 'satisfied'],
    ]);

    const said = 'Noch nicht gespeichert: Der Hausbesuch und 2 Zielüberprüfungen warten im Postausgang';
    await screen.findByText(new RegExp(said));
    expect(onQueued).toHaveBeenCalledWith(expect.stringContaining(said));
    expect(sent).toEqual([]);
    const entries = await stored();
    expect(entries.map((e) => [e.kind, e.expectedRevision, (e.body as { goalId?: string }).goalId])).toEqual([
      ['visit', 3, undefined],
      ['goal-review', 3, GOAL_A],
      ['goal-review', 3, GOAL_B],
    ]);
    const visitedOn = (entries[0]?.body as { visitedOn: string }).visitedOn;
    expect(entries[2]?.body).toEqual({ reviewedOn: visitedOn, goalId: GOAL_B, status: 'achieved', householdView: 'satisfied' });
    expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(3);

    online = true;
    answers.push(
      json(200, { caseId: detail.caseId, revision: 4, position: '42' }),
      json(200, { caseId: detail.caseId, revision: 5, position: '43' }),
      json(200, { caseId: detail.caseId, revision: 6, position: '44' }),
    );
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Postausgang-Status' }).textContent).toBe('3 Einträge gesendet und gespeichert'),
    );
    expect(sent.map((s) => [s.url.split('/').pop(), s.headers['if-match'], s.headers['idempotency-key']])).toEqual(
      entries.map((e, i) => [e.path.split('/').pop(), `"${3 + i}"`, e.idempotencyKey]),
    );
    expect(await stored()).toEqual([]);
  });

  it("the visit saved, a review without an answer: that review and the rest wait at the visit's revision, the first with the key it was sent with", async () => {
    const onQueued = jest.fn();
    const onProgress = jest.fn();
    answers.push(json(200, { caseId: detail.caseId, revision: 4, position: '42' }), new TypeError('Failed to fetch'));
    renderVisit({ onQueued, onProgress }, withPlan);
    await fillVisit('Gespräch', [
      [1, 'in_progress', 'partly'],
      [2, 'achieved', 'satisfied'],
    ]);

    await screen.findByText(/Der Hausbesuch ist gespeichert. Noch nicht gespeichert: 2 Zielüberprüfungen warten/);
    expect(onProgress).toHaveBeenCalledWith({ caseId: detail.caseId, revision: 4, position: '42' });
    expect(sent.map((s) => s.url.split('/').pop())).toEqual(['visits', 'goal-reviews']);
    const entries = await stored();
    expect(entries.map((e) => [e.kind, e.expectedRevision, (e.body as { goalId?: string }).goalId])).toEqual([
      ['goal-review', 4, GOAL_A],
      ['goal-review', 4, GOAL_B],
    ]);
    expect(entries[0]?.idempotencyKey).toBe(sent[1]?.headers['idempotency-key']);
    expect(entries[1]?.idempotencyKey).not.toBe(entries[0]?.idempotencyKey);
  });

  it('online with nothing waiting, the visit and its reviews are sent at once, as without the outbox', async () => {
    const onDone = jest.fn();
    answers.push(
      json(200, { caseId: detail.caseId, revision: 4, position: '42' }),
      json(200, { caseId: detail.caseId, revision: 5, position: '43' }),
    );
    renderVisit({ onDone, onQueued: jest.fn() }, withPlan);
    await fillVisit('Gespräch', [[1, 'in_progress', 'partly']]);
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ caseId: detail.caseId, revision: 5, position: '43' }));
    expect(sent.map((s) => [s.url.split('/').pop(), s.headers['if-match']])).toEqual([
      ['visits', '"3"'],
      ['goal-reviews', '"4"'],
    ]);
    expect(await stored()).toEqual([]);
  });

  it('offline, an activity waits in the outbox without a revision', async () => {
    online = false;
    const onQueued = jest.fn();
    render(
      <OutboxProvider owner="anna">
        <ActivityForm onDone={jest.fn()} onQueued={onQueued} />
      </OutboxProvider>,
    );
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Art der Aktivität'), 'networking');
    await user.selectOptions(screen.getByLabelText('Stadtbezirk'), 'ehrenfeld');
    await user.type(screen.getByLabelText(/Dauer in Stunden/), '1,5');
    await user.click(screen.getByRole('button', { name: 'Aktivität speichern' }));
    await screen.findByText(/Noch nicht gespeichert/);
    expect(onQueued).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([]);
    const [entry] = await stored();
    expect(entry).toMatchObject({ kind: 'activity', caseId: null, expectedRevision: null, path: '/api/activities' });
    expect(entry?.body).toMatchObject({ kind: 'networking', district: 'ehrenfeld', hours: 1.5, participants: 0 });
  });

  it('other forms never wait: offline, housing secured is sent and fails as before', async () => {
    online = false;
    render(
      <OutboxProvider owner="anna">
        <HousingForm detail={detail} onDone={jest.fn()} onStale={async () => undefined} />
      </OutboxProvider>,
    );
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText(/Ergebnis/), 'tenancy_preserved');
    await user.click(screen.getByRole('button', { name: 'Wohnraum gesichert speichern' }));
    await screen.findByText(/Keine Verbindung zum Server/);
    expect(sent).toHaveLength(1);
    expect(await stored()).toEqual([]);
  });
});

const base64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const tokenFor = (sub: string) => `x.${base64url({ sub, roles: ['caseworker'], exp: Math.floor(Date.now() / 1000) + 3600 })}.y`;

describe('signing out', () => {
  it('asks while entries wait, then deletes the outbox and its key from this device', async () => {
    const outbox = await Outbox.open('anna');
    await outbox.add({
      kind: 'visit',
      path: `/api/cases/${detail.caseId}/visits`,
      caseId: detail.caseId,
      body: { visitedOn: '2025-03-01', householdMet: true, notes: 'vertraulich' },
      expectedRevision: 3,
      idempotencyKey: 'k-1',
      writtenAt: '2025-03-01T09:00:00.000Z',
    });
    online = false;
    sessionStorage.setItem('wih.session', tokenFor('anna'));
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(true);
    render(
      <MemoryRouter initialEntries={['/postausgang']}>
        <AuthProvider config={{ auth: 'dev', issuer: null, clientId: null, rolesClaim: 'roles' }}>
          <App />
        </AuthProvider>
      </MemoryRouter>,
    );
    await screen.findByRole('heading', { name: 'Hausbesuch vom 01.03.2025' });
    expect(screen.getByRole('status', { name: 'Postausgang-Status' }).textContent).toBe('1 Eintrag wartet auf Verbindung');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Abmelden' }));

    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('1 Eintrag'));
    await screen.findByRole('button', { name: 'Anmelden' });
    await waitFor(async () => {
      const db = await openDB('wih-outbox');
      const left = [await db.count('entries'), await db.count('keys')];
      db.close();
      expect(left).toEqual([0, 0]);
    });
    confirm.mockRestore();
  });
});
