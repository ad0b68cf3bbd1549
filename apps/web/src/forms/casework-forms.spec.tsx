/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CaseDetail } from '../api/schemas';
import { activeCaseDetail } from '../testing/case-detail';
import { ActivityForm } from './activity-form';
import { HelpPlanForm, VisitForm } from './caseworker-forms';
import { LiftRestrictionForm, RestrictionForm } from './fachstelle-forms';
import { HouseholdDetailsForm } from './household-forms';
import { json, stubFetch, type SentRequest } from '../testing/fetch';

/** The case page's newer forms in a DOM: their checks, what they send, and the visit's goal reviews in sequence. */
const GOAL_A = '2b7f6c8e-1111-4222-8333-444455556661';
const GOAL_B = '2b7f6c8e-1111-4222-8333-444455556662';
const GOAL_DONE = '2b7f6c8e-1111-4222-8333-444455556663';
const base: CaseDetail = activeCaseDetail();
const goal = (goalId: string, wording: string, status = 'open') => ({
  goalId,
  area: 'rent_and_debts',
  actor: 'household',
  reviewOn: '2025-03-01',
  wording,
  status,
  householdView: 'not_asked',
  lastReviewedOn: null,
});
const withPlan: CaseDetail = {
  ...base,
  helpPlan: {
    agreedOn: '2025-02-01',
    householdParticipated: true,
    goals: [goal(GOAL_A, 'Mietrückstand abbauen'), goal(GOAL_B, 'Antrag beim Jobcenter'), goal(GOAL_DONE, 'Erledigt', 'achieved')],
  },
};

let sent: SentRequest[];
let answers: (Response | Error)[];
const problem = (status: number, code: string, errors?: { field: string; message: string }[]) =>
  json(status, { status, code, title: 't', detail: 'd', type: 'about:blank', errors }, 'application/problem+json');
const answer = (revision: number, position: string) => json(200, { caseId: base.caseId, revision, position });

beforeEach(() => {
  ({ sent, answers } = stubFetch());
});

const props = () => ({ onDone: jest.fn(), onProgress: jest.fn(), onStale: jest.fn(async () => 9) });
const button = (name: string) => screen.getByRole('button', { name });

describe('help plan form', () => {
  it('sends nothing while a goal lacks its area, actor or wording, and names the goal in the summary', async () => {
    const user = userEvent.setup();
    render(<HelpPlanForm detail={base} {...props()} />);
    await user.click(button('Hilfeplan speichern'));
    expect(sent).toEqual([]);
    const summary = screen.getByRole('alert');
    expect(summary.textContent).toContain('Ziel 1: Bereich: Bitte auswählen.');
    expect(summary.textContent).toContain('Ziel 1: Ziel in Worten: Bitte ausfüllen.');
    expect(summary.textContent).toContain('Hat der Haushalt an der Planung mitgewirkt?: Bitte auswählen.');
    const wording = screen.getByLabelText('Ziel in Worten');
    expect(wording.getAttribute('aria-invalid')).toBe('true');
  });

  it('refuses a review date before the agreement', async () => {
    const user = userEvent.setup();
    render(<HelpPlanForm detail={base} {...props()} />);
    await user.clear(screen.getByLabelText('Vereinbart am'));
    await user.type(screen.getByLabelText('Vereinbart am'), '2025-02-01');
    await user.type(screen.getByLabelText('Überprüfen am'), '2025-01-20');
    await user.click(button('Hilfeplan speichern'));
    expect(screen.getByRole('alert').textContent).toContain('Das Überprüfungsdatum darf nicht vor der Vereinbarung (01.02.2025) liegen.');
    expect(sent).toEqual([]);
  });

  it('sends every goal in order with If-Match, and shows a problem the API names by position beside that goal', async () => {
    const user = userEvent.setup();
    const p = props();
    render(<HelpPlanForm detail={base} {...p} />);
    await user.clear(screen.getByLabelText('Vereinbart am'));
    await user.type(screen.getByLabelText('Vereinbart am'), '2025-02-01');
    await user.click(screen.getByRole('radio', { name: 'Ja' }));
    const fill = async (n: number, area: string, actor: string, wording: string) => {
      const group = screen.getByRole('group', { name: `Ziel ${n}` });
      await user.selectOptions(within(group).getByLabelText('Bereich'), area);
      await user.selectOptions(within(group).getByLabelText('Wer handelt?'), actor);
      await user.type(within(group).getByLabelText('Überprüfen am'), '2025-03-01');
      await user.type(within(group).getByLabelText('Ziel in Worten'), wording);
    };
    await fill(1, 'housing', 'together', ' Wohnung halten ');
    await user.click(button('Weiteres Ziel hinzufügen'));
    expect(document.activeElement).toBe(within(screen.getByRole('group', { name: 'Ziel 2' })).getByLabelText('Bereich'));
    await fill(2, 'health', 'other_service', 'Arzttermin');
    answers.push(problem(400, 'validation', [{ field: 'goals.1.wording', message: 'wording is too long' }]));
    await user.click(button('Hilfeplan speichern'));
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe(`/api/cases/${base.caseId}/help-plan`);
    expect(sent[0].headers['if-match']).toBe('"3"');
    expect(sent[0].body).toEqual({
      agreedOn: '2025-02-01',
      householdParticipated: true,
      goals: [
        { area: 'housing', actor: 'together', reviewOn: '2025-03-01', wording: 'Wohnung halten' },
        { area: 'health', actor: 'other_service', reviewOn: '2025-03-01', wording: 'Arzttermin' },
      ],
    });
    const second = within(screen.getByRole('group', { name: 'Ziel 2' })).getByLabelText('Ziel in Worten');
    expect(second.getAttribute('aria-invalid')).toBe('true');
    expect(
      within(screen.getByRole('group', { name: 'Ziel 1' }))
        .getByLabelText('Ziel in Worten')
        .getAttribute('aria-invalid'),
    ).toBeNull();
    expect(p.onDone).not.toHaveBeenCalled();
  });

  it("starts a new plan from the current plan's open goals, keeping their ids", async () => {
    const user = userEvent.setup();
    render(<HelpPlanForm detail={withPlan} {...props()} />);
    expect(screen.getAllByLabelText('Ziel in Worten').map((e) => (e as HTMLTextAreaElement).value)).toEqual([
      'Mietrückstand abbauen',
      'Antrag beim Jobcenter',
    ]);
    // Its review date has passed: a new plan needs a new one.
    expect(screen.getAllByLabelText('Überprüfen am').map((e) => (e as HTMLInputElement).value)).toEqual(['', '']);
    await user.click(button('Ziel 2 entfernen'));
    await user.click(screen.getByRole('radio', { name: 'Nein' }));
    await user.type(screen.getByLabelText('Überprüfen am'), '2099-01-01');
    answers.push(answer(4, '30'));
    await user.click(button('Hilfeplan speichern'));
    expect((sent[0].body as { goals: { goalId?: string }[] }).goals.map((g) => g.goalId)).toEqual([GOAL_A]);
  });
});

describe('home visit with goal reviews', () => {
  const review = async (user: ReturnType<typeof userEvent.setup>, n: number, status: string, view: string) => {
    const group = screen.getByRole('group', { name: new RegExp(`^Ziel ${n}:`) });
    await user.selectOptions(within(group).getByLabelText(/^Stand/), status);
    await user.selectOptions(within(group).getByLabelText(/^Sicht des Haushalts/), view);
  };

  it('offers a review for each open goal only', () => {
    render(<VisitForm detail={withPlan} {...props()} />);
    expect(screen.getByRole('group', { name: 'Ziel 1: Mietrückstand abbauen' })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Ziel 2: Antrag beim Jobcenter' })).toBeTruthy();
    expect(screen.queryByText(/Erledigt/)).toBeNull();
  });

  it('sends the visit, then each review with the revision of the answer before and a key of its own', async () => {
    const user = userEvent.setup();
    const p = props();
    render(<VisitForm detail={withPlan} {...p} />);
    await user.click(screen.getByRole('radio', { name: 'Ja' }));
    await review(user, 1, 'in_progress', 'partly');
    await review(user, 2, 'achieved', 'satisfied');
    answers.push(answer(4, '12'), answer(5, '13'), answer(6, '14'));
    await user.click(button('Hausbesuch speichern'));
    expect(sent.map((s) => [s.url.split('/').pop(), s.headers['if-match']])).toEqual([
      ['visits', '"3"'],
      ['goal-reviews', '"4"'],
      ['goal-reviews', '"5"'],
    ]);
    const visitedOn = (sent[0].body as { visitedOn: string }).visitedOn;
    expect(sent[1].body).toEqual({ reviewedOn: visitedOn, goalId: GOAL_A, status: 'in_progress', householdView: 'partly' });
    expect(sent[2].body).toEqual({ reviewedOn: visitedOn, goalId: GOAL_B, status: 'achieved', householdView: 'satisfied' });
    expect(new Set(sent.map((s) => s.headers['idempotency-key'])).size).toBe(3);
    expect(p.onDone).toHaveBeenCalledWith({ caseId: base.caseId, revision: 6, position: '14' });
  });

  it('a review refused after the visit was saved: says so, keeps the review, and sends only the rest next time', async () => {
    const user = userEvent.setup();
    const p = props();
    render(<VisitForm detail={withPlan} {...p} />);
    await user.click(screen.getByRole('radio', { name: 'Nein' }));
    await review(user, 1, 'in_progress', 'partly');
    await review(user, 2, 'dropped', 'not_asked');
    answers.push(answer(4, '12'), answer(5, '13'), problem(409, 'goal-settled'));
    await user.click(button('Hausbesuch speichern'));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Der Hausbesuch ist gespeichert, die Überprüfung von Ziel 2 aber nicht:');
    expect(alert.textContent).toContain('bereits erreicht oder aufgegeben');
    expect(alert.textContent).toContain('Ihre Angaben zur Überprüfung sind erhalten');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(p.onDone).not.toHaveBeenCalled();
    expect(p.onProgress).toHaveBeenCalledWith({ caseId: base.caseId, revision: 5, position: '13' });
    const second = screen.getByRole('group', { name: /^Ziel 2:/ });
    expect(within(second).getByLabelText(/^Stand/)).toHaveProperty('value', 'dropped');
    // The saved visit is locked; goal 1's review is saved and not sent again.
    expect(screen.getByLabelText('Datum des Besuchs').matches(':disabled')).toBe(true);
    expect(screen.getByText('Ziel 1: Überprüfung gespeichert.')).toBeTruthy();

    answers.push(answer(6, '15'));
    await user.click(button('Überprüfungen speichern'));
    expect(sent).toHaveLength(4);
    expect(sent[3].url).toBe(`/api/cases/${base.caseId}/goal-reviews`);
    expect(sent[3].headers['if-match']).toBe('"5"');
    expect(sent[3].headers['idempotency-key']).toBe(sent[2].headers['idempotency-key']);
    expect(p.onDone).toHaveBeenCalledWith({ caseId: base.caseId, revision: 6, position: '15' });
  });

  it('a review refused as stale (412) continues from the current revision', async () => {
    const user = userEvent.setup();
    const p = props();
    render(<VisitForm detail={withPlan} {...p} />);
    await user.click(screen.getByRole('radio', { name: 'Ja' }));
    await review(user, 1, 'open', 'not_satisfied');
    answers.push(answer(4, '12'), problem(412, 'stale-revision'));
    await user.click(button('Hausbesuch speichern'));
    expect(screen.getByRole('alert').textContent).toContain('inzwischen geändert');
    expect(p.onStale).toHaveBeenCalledTimes(1);
    answers.push(answer(10, '20'));
    await user.click(button('Überprüfungen speichern'));
    expect(sent.map((s) => s.headers['if-match'])).toEqual(['"3"', '"4"', '"9"']);
  });

  it('asks for the household view of a goal whose status is set, and for a date not before the plan', async () => {
    const user = userEvent.setup();
    render(<VisitForm detail={withPlan} {...props()} />);
    await user.click(screen.getByRole('radio', { name: 'Ja' }));
    await user.clear(screen.getByLabelText('Datum des Besuchs'));
    await user.type(screen.getByLabelText('Datum des Besuchs'), '2025-01-20');
    await user.selectOptions(within(screen.getByRole('group', { name: /^Ziel 1:/ })).getByLabelText(/^Stand/), 'in_progress');
    await user.click(button('Hausbesuch speichern'));
    const summary = screen.getByRole('alert').textContent;
    expect(summary).toContain('Ziel 1: Sicht des Haushalts: Bitte auswählen.');
    expect(summary).toContain('ab der Vereinbarung des Hilfeplans (01.02.2025)');
    expect(sent).toEqual([]);
  });

  it('without reviews sends the visit alone', async () => {
    const user = userEvent.setup();
    const p = props();
    render(<VisitForm detail={withPlan} {...p} />);
    await user.click(screen.getByRole('radio', { name: 'Ja' }));
    answers.push(answer(4, '12'));
    await user.click(button('Hausbesuch speichern'));
    expect(sent).toHaveLength(1);
    expect(p.onDone).toHaveBeenCalledWith({ caseId: base.caseId, revision: 4, position: '12' });
  });
});

describe("the household's details", () => {
  it('asks for at least one new detail', async () => {
    const user = userEvent.setup();
    render(<HouseholdDetailsForm detail={base} {...props()} />);
    await user.selectOptions(screen.getByLabelText('Anlass'), 'moved');
    await user.click(button('Kontaktdaten speichern'));
    expect(screen.getByRole('alert').textContent).toContain('Bitte mindestens eine neue Angabe machen.');
    expect(sent).toEqual([]);
  });

  it('sends only the changed fields, and explains a refusal while processing is restricted', async () => {
    const user = userEvent.setup();
    render(<HouseholdDetailsForm detail={base} {...props()} />);
    await user.selectOptions(screen.getByLabelText('Anlass'), 'moved');
    await user.type(screen.getByLabelText(/Neue Anschrift/), 'Ring 7, 50667 Köln');
    answers.push(problem(409, 'processing-restricted'));
    await user.click(button('Kontaktdaten speichern'));
    expect(sent[0].body).toEqual(expect.objectContaining({ reason: 'moved', household: { address: 'Ring 7, 50667 Köln' } }));
    expect(screen.getByRole('alert').textContent).toContain('Die Verarbeitung der Daten dieses Haushalts ist eingeschränkt');
    expect(screen.getByLabelText(/Neue Anschrift/)).toHaveProperty('value', 'Ring 7, 50667 Köln');
  });

  it('offers only a correction on an ended case', () => {
    render(<HouseholdDetailsForm detail={{ ...base, status: 'closed' }} {...props()} />);
    const reasons = within(screen.getByLabelText('Anlass'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(reasons).toEqual(['Bitte wählen', 'Berichtigung']);
  });
});

describe('restriction of processing', () => {
  it('restricts on the household with a reason, without If-Match', async () => {
    const user = userEvent.setup();
    const p = props();
    render(<RestrictionForm detail={base} {...p} />);
    await user.click(button('Verarbeitung einschränken'));
    expect(screen.getByRole('alert').textContent).toContain('Grund (Art. 18 Abs. 1 DSGVO): Bitte auswählen.');
    await user.selectOptions(screen.getByLabelText(/Grund/), 'accuracy_contested');
    answers.push(json(200, { householdId: base.householdId, position: '40' }));
    await user.click(button('Verarbeitung einschränken'));
    expect(sent[0]).toEqual(expect.objectContaining({ url: `/api/households/${base.householdId}/restriction`, method: 'POST' }));
    expect(sent[0].headers['if-match']).toBeUndefined();
    expect(p.onDone).toHaveBeenCalledWith({ householdId: base.householdId, position: '40' });
  });

  it('lifts it with DELETE', async () => {
    const user = userEvent.setup();
    const p = props();
    render(<LiftRestrictionForm detail={{ ...base, restricted: true }} {...p} />);
    answers.push(json(200, { householdId: base.householdId, position: '41' }));
    await user.click(button('Einschränkung aufheben'));
    expect(sent[0]).toEqual(expect.objectContaining({ method: 'DELETE', body: undefined }));
    expect(p.onDone).toHaveBeenCalledWith({ householdId: base.householdId, position: '41' });
  });
});

describe('activity form', () => {
  it('takes hours in quarter hours, German style, and sends them as a number', async () => {
    const user = userEvent.setup();
    const onDone = jest.fn();
    render(<ActivityForm onDone={onDone} />);
    await user.selectOptions(screen.getByLabelText('Art der Aktivität'), 'networking');
    await user.selectOptions(screen.getByLabelText('Stadtbezirk'), 'ehrenfeld');
    await user.click(screen.getByRole('checkbox', { name: 'Jobcenter' }));
    await user.type(screen.getByLabelText(/Dauer in Stunden/), '1,3');
    await user.clear(screen.getByLabelText(/Teilnehmende/));
    await user.type(screen.getByLabelText(/Teilnehmende/), '12');
    await user.click(button('Aktivität speichern'));
    expect(screen.getByRole('alert').textContent).toContain('Viertelstunden von 0,25 bis 24');
    expect(sent).toEqual([]);
    await user.clear(screen.getByLabelText(/Dauer in Stunden/));
    await user.type(screen.getByLabelText(/Dauer in Stunden/), '1,5');
    answers.push(json(201, { activityId: GOAL_A, revision: 0, position: '50' }));
    await user.click(button('Aktivität speichern'));
    expect(sent[0].url).toBe('/api/activities');
    expect(sent[0].body).toEqual(
      expect.objectContaining({ kind: 'networking', district: 'ehrenfeld', partnerKinds: ['jobcenter'], hours: 1.5, participants: 12 }),
    );
    expect(sent[0].headers['if-match']).toBeUndefined();
    expect(sent[0].headers['idempotency-key']).toMatch(/\S{8,}/);
    expect(onDone).toHaveBeenCalledWith({ activityId: GOAL_A, revision: 0, position: '50' });
  });
});
