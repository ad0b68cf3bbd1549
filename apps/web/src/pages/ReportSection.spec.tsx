/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SectionEditor } from './ReportSection';
import { REPORT_SECTIONS, type AnnualReportText } from './report-types';
import { json, stubFetch, type SentRequest } from '../testing/fetch';

/** A section of the report's text in a DOM: what it sends, and how it keeps the text through a 412 and a 422. */
let sent: SentRequest[];
let answers: (Response | Error)[];

const problem = (status: number, code: string, extra: object = {}) =>
  json(status, { type: `/problems/${code}`, title: code, status, detail: code, code, ...extra }, 'application/problem+json');

/** The text alone, as GET …/annual-report/{year}/text answers it. */
const reportWith = (text: string, revision: number) =>
  ({
    year: 2025,
    text: Object.fromEntries(REPORT_SECTIONS.map((s) => [s, s === 'cooperation' ? { text, revision } : { text: '', revision: 0 }])),
    finalised: null,
  }) as AnnualReportText;

beforeEach(() => {
  ({ sent, answers } = stubFetch());
});

function renderSection(text = 'Erste Fassung', revision = 2) {
  render(<SectionEditor year={2025} section="cooperation" initial={{ text, revision }} />);
  return { user: userEvent.setup(), field: screen.getByRole('textbox', { name: 'Kooperationen' }) };
}
const save = () => screen.getByRole('button', { name: 'Kooperationen speichern' });

describe('a section of the report text', () => {
  it('saves with If-Match of the revision it was edited on and then edits on the new one', async () => {
    const { user, field } = renderSection();
    await user.clear(field);
    await user.type(field, 'Neu');
    answers.push(json(200, { year: 2025, section: 'cooperation', revision: 3, position: '9' }));
    await user.click(save());
    await screen.findByText('Kooperationen gespeichert (Fassung 3).');
    expect(sent).toEqual([
      {
        url: '/api/evaluation/annual-report/2025/text/cooperation',
        method: 'PUT',
        headers: expect.objectContaining({ 'if-match': '"2"', 'idempotency-key': expect.any(String) }),
        body: { text: 'Neu' },
      },
    ]);
    answers.push(json(200, { year: 2025, section: 'cooperation', revision: 4, position: '10' }));
    await user.type(field, ' und mehr');
    await user.click(save());
    await screen.findByText('Kooperationen gespeichert (Fassung 4).');
    expect(sent[1].headers['if-match']).toBe('"3"');
  });

  it('keeps the typed text on a 412 and offers the current one beside it; saving then replaces that revision', async () => {
    const { user, field } = renderSection();
    await user.clear(field);
    await user.type(field, 'Meine Fassung');
    answers.push(problem(412, 'stale-revision'));
    await user.click(save());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('inzwischen von jemand anderem geändert');
    expect((field as HTMLTextAreaElement).value).toBe('Meine Fassung');

    answers.push(json(200, reportWith('Fassung von Ben', 3)));
    await user.click(within(alert).getByRole('button', { name: 'Aktuelle Fassung daneben laden' }));
    const current = await screen.findByRole('region', { name: 'Aktuelle Fassung 3 (gespeichert)' });
    expect(current.textContent).toContain('Fassung von Ben');
    expect(sent[1]).toMatchObject({ url: '/api/evaluation/annual-report/2025/text', method: 'GET' });
    expect((field as HTMLTextAreaElement).value).toBe('Meine Fassung');
    expect(screen.getByText('Speichern ersetzt jetzt Fassung 3 durch Ihren Text.')).toBeTruthy();

    answers.push(json(200, { year: 2025, section: 'cooperation', revision: 4, position: '11' }));
    await user.click(save());
    await screen.findByText('Kooperationen gespeichert (Fassung 4).');
    expect(sent[2]).toMatchObject({
      method: 'PUT',
      headers: expect.objectContaining({ 'if-match': '"3"' }),
      body: { text: 'Meine Fassung' },
    });
    expect(screen.queryByRole('region', { name: /Aktuelle Fassung/ })).toBeNull();
  });

  it('lets the writer take the current text instead of theirs', async () => {
    const { user, field } = renderSection();
    await user.type(field, '!');
    answers.push(problem(412, 'stale-revision'), json(200, reportWith('Fassung von Ben', 3)));
    await user.click(save());
    await user.click(await screen.findByRole('button', { name: 'Aktuelle Fassung daneben laden' }));
    await user.click(await screen.findByRole('button', { name: 'Aktuelle Fassung übernehmen' }));
    expect((field as HTMLTextAreaElement).value).toBe('Fassung von Ben');
  });

  it('shows the passages a personal-data refusal names beside the field, marked in the text, and keeps the text', async () => {
    const { user, field } = renderSection('');
    const text = 'Wir danken Familie Yılmaz, Mehmet und der Venloer Str. 12 für die Geduld.';
    await user.type(field, text);
    answers.push(
      problem(422, 'personal-data-in-text', {
        errors: [{ field: 'text', message: 'the text names a household (a name or an address)' }],
        matches: ['Yılmaz, Mehmet', 'Venloer Str. 12'],
      }),
    );
    await user.click(save());
    const error = await screen.findByText(/nennt einen Haushalt/);
    const box = error.closest('.report-matches') as HTMLElement;
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')?.split(' ')).toContain(box.id);
    expect(
      within(box)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Yılmaz, Mehmet', 'Venloer Str. 12']);
    const marked = box.querySelector('.report-marked') as HTMLElement;
    expect([...marked.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['Yılmaz, Mehmet', 'Venloer Str. 12']);
    expect(marked.textContent).toBe(text);
    expect((field as HTMLTextAreaElement).value).toBe(text);
    expect(screen.queryByText(/gespeichert \(Fassung/)).toBeNull();
    // Editing the text clears the refusal; it comes back only if the next draft is refused again.
    await user.type(field, 'x');
    expect(field.getAttribute('aria-invalid')).toBeNull();
  });

  it('sends nothing over 10 000 characters and says so beside the field', async () => {
    const { user, field } = renderSection('');
    await user.click(field);
    await user.paste('a'.repeat(10_001));
    await user.click(save());
    expect(sent).toEqual([]);
    expect(screen.getByText('Höchstens 10.000 Zeichen.').id).toBe(field.getAttribute('aria-describedby')?.split(' ')[1]);
  });
});
