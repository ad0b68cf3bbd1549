import { validateApproval, validateClosure, validateExtension, validateVisit, type CaseBounds } from './case-validation';
import { validateIntake, emptyIntake, intakeBody } from './intake-validation';
import { addMonths } from './validate';

const today = '2025-06-15';
const active: CaseBounds = { receivedOn: '2025-03-01', approvedOn: '2025-03-10', housingSecured: null, plannedEndOn: '2026-03-10' };

describe('visit form checks', () => {
  it('asks for the answer to "household met" and accepts a date between approval and today', () => {
    expect(validateVisit({ visitedOn: '2025-06-01', householdMet: '', concerns: [], notes: '' }, today, active)).toEqual({
      householdMet: 'Bitte auswählen.',
    });
    expect(validateVisit({ visitedOn: '2025-06-01', householdMet: 'no', concerns: [], notes: '' }, today, active)).toEqual({});
  });

  it('refuses a future date, a date before the approval, and an impossible date', () => {
    const visit = (visitedOn: string) =>
      validateVisit({ visitedOn, householdMet: 'yes', concerns: [], notes: '' }, today, active).visitedOn;
    expect(visit('2025-06-16')).toBe('Das Datum darf nicht in der Zukunft liegen.');
    expect(visit('2025-03-09')).toBe('Das Datum darf nicht vor der Bewilligung (2025-03-10) liegen.');
    expect(visit('2025-02-30')).toBe('Bitte ein gültiges Datum angeben.');
    expect(visit('')).toBe('Bitte ausfüllen.');
  });
});

describe('approval form checks (rule 2)', () => {
  const approval = { approvedOn: '2025-06-01', assignedCaseworkerId: 'anna', visitIntervalDays: '28', plannedEndOn: '2026-06-01' };

  it('accepts a planned end exactly twelve months after approval, not a day later', () => {
    expect(validateApproval(approval, today, active)).toEqual({});
    expect(validateApproval({ ...approval, plannedEndOn: '2026-06-02' }, today, active)).toEqual({
      plannedEndOn: 'Höchstens zwölf Monate: spätestens 2026-06-01.',
    });
    expect(validateApproval({ ...approval, plannedEndOn: '2025-06-01' }, today, active).plannedEndOn).toBe(
      'Das Ende muss nach dem 2025-06-01 liegen.',
    );
  });

  it('keeps the visit interval within 7–90 days and the caseworker a user id', () => {
    expect(validateApproval({ ...approval, visitIntervalDays: '6', assignedCaseworkerId: 'an na' }, today, active)).toEqual({
      visitIntervalDays: 'Bitte eine ganze Zahl von 7 bis 90.',
      assignedCaseworkerId: 'Nur Buchstaben, Ziffern und . _ @ : - (ohne Leerzeichen).',
    });
    expect(validateApproval({ ...approval, visitIntervalDays: '90' }, today, active)).toEqual({});
    expect(validateApproval({ ...approval, visitIntervalDays: '7.5' }, today, active).visitIntervalDays).toBeDefined();
  });

  it('refuses an approval before the referral was received', () => {
    expect(validateApproval({ ...approval, approvedOn: '2025-02-28' }, today, active).approvedOn).toBe(
      'Das Datum darf nicht vor dem Eingang der Anfrage (2025-03-01) liegen.',
    );
  });
});

describe('closure and extension checks', () => {
  const closure = { closedOn: '2025-06-10', reason: 'goal_achieved', housingAtClose: 'own_tenancy', notes: '' };

  it('says that "goal achieved" needs housing secured first (rule 4)', () => {
    expect(validateClosure(closure, today, active)).toEqual({
      reason: '„Ziel erreicht“ setzt voraus, dass zuvor „Wohnraum gesichert“ erfasst wurde.',
    });
    expect(
      validateClosure(closure, today, { ...active, housingSecured: { securedOn: '2025-05-01', outcome: 'tenancy_preserved' } }),
    ).toEqual({});
  });

  it('moves the planned end by at most twelve months per extension', () => {
    expect(validateExtension({ plannedEndOn: '2027-03-10', reason: 'new_crisis' }, today, active)).toEqual({});
    expect(validateExtension({ plannedEndOn: '2027-03-11', reason: '' }, today, active)).toEqual({
      plannedEndOn: 'Höchstens zwölf Monate: spätestens 2027-03-10.',
      reason: 'Bitte auswählen.',
    });
  });

  it('counts months as the domain does (day clamped to the month end)', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-03-10', 12)).toBe('2026-03-10');
  });
});

describe('intake form checks', () => {
  it('names every missing required field and the out-of-range counts', () => {
    const errors = validateIntake({ ...emptyIntake(today), adults: '0', children: '31' }, today);
    expect(Object.keys(errors).sort()).toEqual([
      'address',
      'adults',
      'children',
      'housingSituation',
      'name',
      'referralSource',
      'targetGroup',
    ]);
  });

  it('sends the API shape: numbers, the household nested, no empty optional fields', () => {
    const values = {
      ...emptyIntake(today),
      name: ' Familie A ',
      address: 'Weg 1',
      referralSource: 'self',
      targetGroup: 'recommitted',
      housingSituation: 'seized_flat',
      children: '2',
    };
    expect(validateIntake(values, today)).toEqual({});
    expect(intakeBody(values)).toEqual({
      receivedOn: today,
      referralSource: 'self',
      targetGroup: 'recommitted',
      housingSituation: 'seized_flat',
      threatCauses: [],
      adults: 1,
      children: 2,
      existingAid: [],
      consentGiven: false,
      household: { name: 'Familie A', address: 'Weg 1' },
    });
  });
});
