import type { CommandContext } from '../decider';
import { DomainError } from '../errors';
import { decideHouseholdErasure, decideReservation, evolveHousehold, initialHouseholdState, type HouseholdEvent } from './household';

const HH = 'household-0001';
const NOW = '2025-06-15T09:30:00.000Z';
const admin: CommandContext = { actor: { userId: 'user-adam', role: 'admin' }, today: '2025-06-15', now: NOW };
const caseworker: CommandContext = { ...admin, actor: { userId: 'user-anna', role: 'caseworker' } };
const reserved: HouseholdEvent = {
  type: 'HouseholdCaseReserved',
  data: { householdId: HH, caseId: 'case-a', reservedAt: '2025-01-01T00:00:00.000Z' },
};
const erased: HouseholdEvent = { type: 'PersonalDataErased', data: { householdId: HH, erasedOn: '2025-06-15' } };
const fold = (events: readonly HouseholdEvent[]) => events.reduce(evolveHousehold, initialHouseholdState());

const refusal = (run: () => unknown): { kind: string; code: string } => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, code: error.code };
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('decideHouseholdErasure', () => {
  it('given a household with a case, when an admin erases it, then PersonalDataErased (today)', () => {
    expect(decideHouseholdErasure({ householdId: HH, context: admin }, fold([reserved]))).toEqual([erased]);
  });

  it('given an erased household, when erased again, then nothing new', () => {
    expect(decideHouseholdErasure({ householdId: HH, context: admin }, fold([reserved, erased]))).toEqual([]);
  });

  it('given no such household, then not found', () => {
    expect(refusal(() => decideHouseholdErasure({ householdId: HH, context: admin }, fold([])))).toEqual({
      kind: 'not-found',
      code: 'household-not-found',
    });
  });

  it('is for admins only', () => {
    expect(refusal(() => decideHouseholdErasure({ householdId: HH, context: caseworker }, fold([reserved])))).toEqual({
      kind: 'forbidden',
      code: 'role-not-allowed',
    });
  });

  it('keeps the first erasure date and the case list (the repeat-case link is not personal)', () => {
    const later: HouseholdEvent = { type: 'PersonalDataErased', data: { householdId: HH, erasedOn: '2026-01-01' } };
    expect(fold([reserved, erased, later])).toEqual({
      cases: [{ caseId: 'case-a', reservedAt: '2025-01-01T00:00:00.000Z' }],
      erasedOn: '2025-06-15',
    });
  });
});

describe('a referral for an erased household (it comes back under its id)', () => {
  const returning = (state = fold([reserved, erased])) =>
    decideReservation(
      {
        householdId: HH,
        caseId: 'case-b',
        receivedOn: '2025-06-15',
        reservedCases: new Map([['case-a', { status: 'closed', closedOn: '2025-05-01' }]]),
        context: caseworker,
      },
      state,
    );
  const back: HouseholdEvent = { type: 'HouseholdCaseReserved', data: { householdId: HH, caseId: 'case-b', reservedAt: NOW } };

  it('is accepted as a repeat case, under a new key generation (its old key stays destroyed)', () => {
    expect(returning()).toEqual({ fences: [], events: [back], previousCaseId: 'case-a', newKeyGeneration: true });
  });

  it('a household never erased keeps its key', () => {
    expect(returning(fold([reserved])).newKeyGeneration).toBe(false);
  });

  it('is no longer erased once back: erasing it again erases the new case too', () => {
    const state = fold([reserved, erased, back]);
    expect(state.erasedOn).toBeUndefined();
    const later: HouseholdEvent = { type: 'PersonalDataErased', data: { householdId: HH, erasedOn: '2025-06-15' } };
    expect(decideHouseholdErasure({ householdId: HH, context: admin }, state)).toEqual([later]);
    const again = decideReservation(
      {
        householdId: HH,
        caseId: 'case-c',
        receivedOn: '2025-06-15',
        reservedCases: new Map([['case-b', { status: 'closed', closedOn: '2025-06-10' }]]),
        context: caseworker,
      },
      fold([reserved, erased, back, later]),
    );
    expect(again).toMatchObject({ previousCaseId: 'case-b', newKeyGeneration: true });
  });

  it('is refused while its case erased on request is still open (rule 5 as for anyone)', () => {
    const state = fold([reserved, erased]);
    expect(
      refusal(() =>
        decideReservation(
          {
            householdId: HH,
            caseId: 'case-b',
            receivedOn: '2025-06-15',
            reservedCases: new Map([['case-a', { status: 'active' }]]),
            context: caseworker,
          },
          state,
        ),
      ),
    ).toEqual({ kind: 'conflict', code: 'household-has-open-case' });
  });
});
