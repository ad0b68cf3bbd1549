/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import type { CaseDetail } from '../api/schemas';
import { activeCaseDetail } from '../testing/case-detail';
import { IntakePage } from '../pages/Intake';
import { VisitForm } from './caseworker-forms';
import { json, stubFetch, type SentRequest } from '../testing/fetch';

/** The command forms in a DOM: their checks, what they send, and how they show the API's answers. */
const detail: CaseDetail = activeCaseDetail();

let sent: SentRequest[];
let answers: (Response | Error)[];

beforeEach(() => {
  ({ sent, answers } = stubFetch());
});

function renderVisit(overrides: Partial<{ onStale: () => Promise<number | undefined> }> = {}) {
  const onDone = jest.fn();
  const onStale = jest.fn(overrides.onStale ?? (async () => 5));
  render(<VisitForm detail={detail} onDone={onDone} onStale={onStale} />);
  return { onDone, onStale, user: userEvent.setup() };
}

const save = () => screen.getByRole('button', { name: 'Hausbesuch speichern' });

describe('visit form', () => {
  it('sends nothing while a required answer is missing, and says so in the summary and beside the field', async () => {
    const { user } = renderVisit();
    await user.click(save());
    expect(sent).toEqual([]);
    const summary = screen.getByRole('alert');
    expect(summary).toHaveProperty('textContent', expect.stringContaining('Haushalt angetroffen?: Bitte auswählen.'));
    expect(document.activeElement).toBe(summary);
    const group = screen.getByRole('group', { name: 'Haushalt angetroffen?' });
    expect(within(group).getByText('Bitte auswählen.').id).toBe(group.getAttribute('aria-describedby'));
  });

  it('sends If-Match with the revision it was opened at and one Idempotency-Key, then reports the answer', async () => {
    const { user, onDone } = renderVisit();
    await user.click(screen.getByRole('radio', { name: 'Ja' }));
    await user.click(screen.getByRole('checkbox', { name: 'Gesundheit' }));
    answers.push(json(200, { caseId: detail.caseId, revision: 4, position: '12' }));
    await user.click(save());
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe(`/api/cases/${detail.caseId}/visits`);
    expect(sent[0].headers['if-match']).toBe('"3"');
    expect(sent[0].headers['idempotency-key']).toMatch(/\S{8,}/);
    expect(sent[0].body).toEqual(expect.objectContaining({ householdMet: true, concerns: ['health'] }));
    expect(onDone).toHaveBeenCalledWith({ caseId: detail.caseId, revision: 4, position: '12' });
  });

  it('on 412 shows that the case changed, keeps the input, and retries from the new revision with the same key', async () => {
    const { user, onStale, onDone } = renderVisit();
    await user.click(screen.getByRole('radio', { name: 'Nein' }));
    await user.type(screen.getByLabelText(/Notizen/), 'Nachbarin gesprochen');
    answers.push(
      json(412, { status: 412, code: 'stale-revision', title: 'x', detail: 'x', type: 'about:blank' }, 'application/problem+json'),
    );
    await user.click(save());
    expect(screen.getByRole('alert').textContent).toContain('Der Fall wurde inzwischen geändert');
    expect(onStale).toHaveBeenCalledTimes(1);
    expect(screen.getByLabelText(/Notizen/)).toHaveProperty('value', 'Nachbarin gesprochen');
    expect(screen.getByRole('radio', { name: 'Nein' })).toHaveProperty('checked', true);

    answers.push(json(200, { caseId: detail.caseId, revision: 6, position: '20' }));
    await user.click(save());
    expect(sent[1].headers['if-match']).toBe('"5"');
    expect(sent[1].headers['idempotency-key']).toBe(sent[0].headers['idempotency-key']);
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('after a lost answer (no connection) keeps the input and retries with the same key, so the API records it once', async () => {
    const { user, onDone } = renderVisit();
    await user.click(screen.getByRole('radio', { name: 'Ja' }));
    answers.push(new TypeError('Failed to fetch'));
    await user.click(save());
    expect(screen.getByRole('alert').textContent).toContain('Keine Verbindung zum Server');
    expect(screen.getByRole('radio', { name: 'Ja' })).toHaveProperty('checked', true);
    answers.push(json(200, { caseId: detail.caseId, revision: 4, position: '12' }));
    await user.click(save());
    expect(sent).toHaveLength(2);
    expect(sent[1].headers['idempotency-key']).toBe(sent[0].headers['idempotency-key']);
    expect(sent[1].body).toEqual(sent[0].body);
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('uses a new key when the input changed after a refusal', async () => {
    const { user } = renderVisit();
    await user.click(screen.getByRole('radio', { name: 'Ja' }));
    answers.push(json(409, { status: 409, code: 'invalid-state', title: 't', detail: 'd', type: 't' }, 'application/problem+json'));
    await user.click(save());
    expect(screen.getByRole('alert').textContent).toContain('im aktuellen Status des Falls nicht möglich');
    await user.click(screen.getByRole('radio', { name: 'Nein' }));
    answers.push(json(200, { caseId: detail.caseId, revision: 4, position: '12' }));
    await user.click(save());
    expect(sent[1].headers['idempotency-key']).not.toBe(sent[0].headers['idempotency-key']);
  });

  it('sends a double click once', async () => {
    const { user } = renderVisit();
    await user.click(screen.getByRole('radio', { name: 'Ja' }));
    let release: (r: Response) => void = () => undefined;
    (global.fetch as jest.Mock).mockImplementationOnce((url: string, init: RequestInit) => {
      sent.push({ url, method: String(init.method), headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)) });
      return new Promise<Response>((r) => (release = r));
    });
    const button = save();
    await user.dblClick(button);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.textContent).toBe('Wird gespeichert …');
    await act(async () => release(json(200, { caseId: detail.caseId, revision: 4, position: '12' })));
    expect(sent).toHaveLength(1);
  });
});

describe('intake form', () => {
  it("shows the API's field problems beside the fields they name, keeping the input", async () => {
    const user = userEvent.setup();
    render(
      <MemoryRouter>
        <IntakePage />
      </MemoryRouter>,
    );
    await user.type(screen.getByLabelText('Name des Haushalts'), 'Familie B');
    await user.type(screen.getByLabelText('Anschrift'), 'Ring 5');
    await user.selectOptions(screen.getByLabelText('Zugangsweg'), 'self');
    await user.selectOptions(screen.getByLabelText('Zielgruppe'), 'recommitted');
    await user.selectOptions(screen.getByLabelText('Wohnsituation'), 'seized_flat');
    answers.push(
      json(
        400,
        {
          status: 400,
          code: 'validation',
          title: 't',
          detail: 'd',
          type: 't',
          errors: [{ field: 'household.name', message: 'name is too long' }],
        },
        'application/problem+json',
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Anfrage aufnehmen' }));
    expect(sent).toHaveLength(1);
    const name = screen.getByLabelText('Name des Haushalts');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Vom Server abgelehnt: name is too long',
    );
    expect(name).toHaveProperty('value', 'Familie B');
  });

  it('warns, without refusing, when consent is missing', async () => {
    const user = userEvent.setup();
    render(
      <MemoryRouter>
        <IntakePage />
      </MemoryRouter>,
    );
    expect(screen.getByText(/Ohne Einwilligung kann die Hilfe nicht bewilligt werden/)).toBeTruthy();
    await user.click(screen.getByRole('checkbox', { name: /Einwilligung liegt vor/ }));
    expect(screen.queryByText(/Ohne Einwilligung/)).toBeNull();
  });
});
