import type { CommandContext } from '../decider';
import { householdDecider, type HouseholdCommand, type HouseholdEvent } from './household';

const HH = 'household-0001';
const NOW = '2025-06-15T09:30:00.000Z';
const admin: CommandContext = { actor: { userId: 'user-adam', role: 'admin' }, today: '2025-06-15', now: NOW };
const reserved = (caseId: string): HouseholdEvent => ({
  type: 'HouseholdCaseReserved',
  data: { householdId: HH, caseId, reservedAt: '2025-01-01T00:00:00.000Z' },
});
const given = (...events: HouseholdEvent[]) => events.reduce(householdDecider.evolve, householdDecider.initialState());

describe('householdDecider', () => {
  it('reserves a case for a referral of a new household', () => {
    const command: HouseholdCommand = {
      type: 'ReserveCase',
      householdId: HH,
      caseId: 'case-a',
      receivedOn: '2025-06-15',
      reservedCases: new Map(),
      context: admin,
    };
    expect(householdDecider.decide(command, given())).toEqual(
      [reserved('case-a')].map((e) => ({ ...e, data: { ...e.data, reservedAt: NOW } })),
    );
  });

  it('releases a stray reservation only when the household holds it', () => {
    const release: HouseholdCommand = { type: 'ReleaseStrayReservation', householdId: HH, caseId: 'case-a' };
    expect(householdDecider.decide(release, given(reserved('case-a')))).toEqual([
      { type: 'HouseholdReservationReleased', data: { householdId: HH, caseId: 'case-a' } },
    ]);
    expect(householdDecider.decide(release, given(reserved('case-b')))).toEqual([]);
  });

  it('erases a known household once', () => {
    const erase: HouseholdCommand = { type: 'EraseHousehold', householdId: HH, context: admin };
    const [erased] = householdDecider.decide(erase, given(reserved('case-a')));
    expect(erased).toEqual({ type: 'PersonalDataErased', data: { householdId: HH, erasedOn: '2025-06-15' } });
    expect(householdDecider.decide(erase, given(reserved('case-a'), erased))).toEqual([]);
  });

  it('refuses a command it does not know instead of returning it', () => {
    expect(() => householdDecider.decide({ type: 'MergeHouseholds' } as unknown as HouseholdCommand, given())).toThrow(
      /unknown command type "MergeHouseholds"/,
    );
  });
});
