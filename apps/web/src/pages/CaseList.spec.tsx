/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import type { CaseloadItem } from '../api/schemas';
import { CaseListPage } from './CaseList';

/** "Meine Fälle": loading and empty states, overdue in words, filters in the search body (never in a URL), cursor paging. */
const item = (n: number, overdue = false): CaseloadItem => ({
  caseId: `0b7f6c8e-1111-4222-8333-00000000000${n}`,
  status: 'active',
  householdName: `Haushalt ${n}`,
  assignedCaseworkerId: 'anna',
  receivedOn: '2025-01-10',
  nextVisitDueOn: '2025-02-12',
  plannedEndOn: '2026-01-15',
  overdue,
  nextGoalReviewOn: null,
  goalReviewDue: false,
  restricted: false,
});

let urls: string[];
let bodies: Record<string, unknown>[];
let pages: object[];
const LAGGING = { status: 503, code: 'projection-lagging', type: 'about:blank', title: 'lagging', detail: 'lagging' };
beforeEach(() => {
  urls = [];
  bodies = [];
  pages = [];
  global.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    urls.push(`${init?.method ?? 'GET'} ${String(url)}`);
    bodies.push(JSON.parse(String(init?.body ?? 'null')));
    const page = pages.shift();
    const status = page === LAGGING ? 503 : 200;
    return new Response(JSON.stringify(page), {
      status,
      headers: { 'content-type': status === 200 ? 'application/json' : 'application/problem+json' },
    });
  }) as typeof fetch;
});

const show = () =>
  render(
    <MemoryRouter initialEntries={['/faelle']}>
      <CaseListPage mode="mine" />
    </MemoryRouter>,
  );

it('shows the loading state, then the cases, marking overdue visits in words', async () => {
  pages.push({ items: [item(1, true), item(2)], nextCursor: null });
  show();
  expect(screen.getByRole('status').textContent).toBe('Fälle werden geladen …');
  const overdueRow = (await screen.findByRole('link', { name: 'Haushalt 1' })).closest('tr');
  expect(overdueRow?.className).toBe('overdue');
  expect(overdueRow?.textContent).toContain('12.02.2025 überfällig');
  expect(screen.getByRole('link', { name: 'Haushalt 2' }).closest('tr')?.textContent).not.toContain('überfällig');
  expect(screen.queryByRole('button', { name: 'Weitere laden' })).toBeNull();
});

it('says so when there are no cases', async () => {
  pages.push({ items: [], nextCursor: null });
  show();
  expect(await screen.findByText('Keine Fälle gefunden.')).toBeTruthy();
});

it('puts the filters into the search body, the name never into a URL, and pages on with the cursor', async () => {
  const user = userEvent.setup();
  pages.push({ items: [item(1)], nextCursor: null }, { items: [item(2)], nextCursor: 'next-1' }, { items: [item(3)], nextCursor: null });
  show();
  await screen.findByRole('link', { name: 'Haushalt 1' });
  await user.type(screen.getByLabelText('Name des Haushalts'), 'müller');
  await user.selectOptions(screen.getByLabelText('Status'), 'active');
  await user.click(screen.getByLabelText('Nur überfällige Besuche'));
  await user.click(screen.getByRole('button', { name: 'Anwenden' }));
  await screen.findByRole('link', { name: 'Haushalt 2' });
  expect(bodies[1]).toEqual({ status: 'active', overdue: true, q: 'müller', limit: 25 });

  await user.click(await screen.findByRole('button', { name: 'Weitere laden' }));
  await screen.findByRole('link', { name: 'Haushalt 3' });
  expect(bodies[2]).toEqual({ status: 'active', overdue: true, q: 'müller', limit: 25, cursor: 'next-1' });
  // The name goes in the body only: every request is a POST to the same URL.
  expect(urls).toEqual(Array(3).fill('POST /api/caseload/search'));
  expect(screen.getAllByRole('row')).toHaveLength(3); // header + both pages
  expect(screen.queryByRole('button', { name: 'Weitere laden' })).toBeNull();
});

it('asks again while the read model catches up with the own write (503 projection-lagging), showing it as loading', async () => {
  pages.push(LAGGING, { items: [item(1)], nextCursor: null });
  render(
    <MemoryRouter initialEntries={['/faelle?minPosition=42']}>
      <CaseListPage mode="mine" />
    </MemoryRouter>,
  );
  expect(await screen.findByRole('link', { name: 'Haushalt 1' }, { timeout: 3000 })).toBeTruthy();
  expect(urls).toHaveLength(2);
  expect(bodies[1]).toMatchObject({ minPosition: '42' });
  expect(screen.queryByRole('alert')).toBeNull();
});

it('names a household withheld while processing is restricted as such, not as erased, and sends no status the URL made up', async () => {
  pages.push({
    items: [
      { ...item(1), householdName: null, restricted: true },
      { ...item(2), householdName: null },
    ],
    nextCursor: null,
  });
  render(
    <MemoryRouter initialEntries={['/faelle?status=unbekannt']}>
      <CaseListPage mode="mine" />
    </MemoryRouter>,
  );
  expect(await screen.findByRole('link', { name: '(Verarbeitung eingeschränkt)' })).toBeTruthy();
  expect(screen.getByRole('link', { name: '(Daten gelöscht)' })).toBeTruthy();
  expect(bodies[0]).toEqual({ limit: 25 });
});
