/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import 'fake-indexeddb/auto';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { MemoryRouter } from 'react-router';
import type { CaseDetail } from '../api/schemas';
import { App } from '../App';
import { AuthProvider } from '../auth/session';
import { HousingForm, VisitForm } from '../forms/caseworker-forms';
import { OutboxProvider } from './OutboxProvider';
import { OutboxStatus } from './OutboxStatus';
import { closeOutboxDatabase, Outbox } from './store';

/** The command forms with the outbox: offline and failed sends wait, other forms behave as before, sign-out clears it. */
const detail: CaseDetail = {
  caseId: '0b7f6c8e-1111-4222-8333-444455556666',
  householdId: '1b7f6c8e-1111-4222-8333-444455556666',
  status: 'active',
  revision: 3,
  receivedOn: '2025-01-10',
  approvedOn: '2025-01-15',
  rejectedOn: null,
  closedOn: null,
  plannedEndOn: '2026-01-15',
  referralSource: 'jobcenter',
  targetGroup: 'recommitted',
  housingSituation: 'seized_flat',
  adults: 1,
  children: 0,
  assignedCaseworkerId: 'anna',
  visitIntervalDays: 28,
  lastVisitOn: null,
  nextVisitDueOn: '2025-02-12',
  overdue: true,
  housingSecured: null,
  closure: null,
  counts: { visits: 0, mediations: 0 },
  previousCaseId: null,
  household: { name: 'Familie Test', address: 'Weg 1', phone: null },
  helpPlan: null,
  nextGoalReviewOn: null,
  goalReviewDue: false,
  restricted: false,
};

type Sent = { url: string; headers: Record<string, string> };
let sent: Sent[];
let answers: (Response | Error)[];
let online: boolean;
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  closeOutboxDatabase();
  sessionStorage.clear();
  sent = [];
  answers = [];
  online = true;
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online });
  global.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), headers: (init?.headers ?? {}) as Record<string, string> });
    const next = answers.shift();
    if (!next || next instanceof Error) throw next ?? new TypeError('Failed to fetch');
    return next;
  }) as typeof fetch;
});

const stored = async () => (await Outbox.open('anna')).list();

function renderVisit(handlers: { onDone?: jest.Mock; onQueued?: jest.Mock } = {}) {
  return render(
    <MemoryRouter>
      <OutboxProvider owner="anna">
        <OutboxStatus />
        <VisitForm detail={detail} onDone={handlers.onDone ?? jest.fn()} onStale={async () => undefined} onQueued={handlers.onQueued} />
      </OutboxProvider>
    </MemoryRouter>,
  );
}

async function fillVisit(notes: string) {
  const user = userEvent.setup();
  await user.click(screen.getByRole('radio', { name: 'Ja' }));
  await user.type(screen.getByLabelText(/Notizen/), notes);
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
