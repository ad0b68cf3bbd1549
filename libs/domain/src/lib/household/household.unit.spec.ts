import type { CommandContext } from '../decider';
import { DomainError } from '../errors';
import {
  RESERVATION_TTL_MS,
  decideReservation,
  decideStrayRelease,
  evolveHousehold,
  initialHouseholdState,
  type HouseholdEvent,
  type HouseholdState,
  type ReservedCase,
} from './household';

const HH = 'household-0001';
const NOW = '2025-06-15T09:30:00.000Z';
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
const context: CommandContext = { actor: { userId: 'user-anna', role: 'caseworker' }, today: '2025-06-15', now: NOW };

const reserved = (caseId: string, reservedAt = ago(86_400_000)): HouseholdEvent => ({
  type: 'HouseholdCaseReserved',
  data: { householdId: HH, caseId, reservedAt },
});
const released = (caseId: string): HouseholdEvent => ({ type: 'HouseholdReservationReleased', data: { householdId: HH, caseId } });
const fold = (events: readonly HouseholdEvent[]): HouseholdState => events.reduce(evolveHousehold, initialHouseholdState());

/**
 * The latest reservation's case stream holds a case in `latest` ('none': no referral in it,
 * 'foreign': another household's referral); earlier ones hold this household's closed cases.
 */
const decide = (events: readonly HouseholdEvent[], caseId: string, latest: ReservedCase['status'] | null, receivedOn = '2025-06-01') => {
  const state = fold(events);
  const reservedCases = new Map<string, ReservedCase>(
    state.cases.map(({ caseId: id }, i) => [
      id,
      i === state.cases.length - 1 && latest !== null && latest !== 'closed'
        ? { status: latest }
        : { status: 'closed', closedOn: '2025-01-01' },
    ]),
  );
  return decideReservation({ householdId: HH, caseId, receivedOn, reservedCases, context }, state);
};

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but the reservation was decided');
};

describe('decideReservation (rule 5)', () => {
  it('reserves the first case of a household, without a previous case', () => {
    expect(decide([], 'case-new', null)).toEqual({
      fences: [],
      newKeyGeneration: false,
      events: [reserved('case-new', NOW)],
      previousCaseId: null,
    });
  });

  it.each(['referred', 'active'] as const)('refuses while the latest case is %s (household-has-open-case)', (status) => {
    const error = refusal(() => decide([reserved('case-a')], 'case-new', status));
    expect(error).toMatchObject({ kind: 'conflict', code: 'household-has-open-case' });
    expect(error.message).toContain(status);
  });

  it.each(['closed', 'rejected'] as const)('accepts after a %s case and links it as the previous case', (status) => {
    expect(decide([reserved('case-a')], 'case-new', status)).toEqual({
      fences: [],
      newKeyGeneration: false,
      events: [reserved('case-new', NOW)],
      previousCaseId: 'case-a',
    });
  });

  it('links a repeat case to the latest case, not to an older one', () => {
    expect(decide([reserved('case-a'), reserved('case-b')], 'case-new', 'closed')).toEqual({
      fences: [],
      newKeyGeneration: false,
      events: [reserved('case-new', NOW)],
      previousCaseId: 'case-b',
    });
  });

  describe('a reservation whose case stream is missing (a crash between the two appends)', () => {
    it.each([
      ['just now', 0],
      ['a second ago', 1_000],
      ['one millisecond short of the TTL', RESERVATION_TTL_MS - 1],
    ])('made %s is still being written: household-has-open-case', (_when, age) => {
      const error = refusal(() => decide([reserved('case-a', ago(age))], 'case-new', 'none'));
      expect(error).toMatchObject({ kind: 'conflict', code: 'household-has-open-case' });
    });

    it.each([
      ['exactly the TTL', RESERVATION_TTL_MS],
      ['just over the TTL', RESERVATION_TTL_MS + 1],
      ['a day', 86_400_000],
    ])('older than %s is released and the new case reserved', (_when, age) => {
      expect(decide([reserved('case-a', ago(age))], 'case-new', 'none')).toEqual({
        fences: ['case-a'],
        newKeyGeneration: false,
        events: [released('case-a'), reserved('case-new', NOW)],
        previousCaseId: null,
      });
    });

    it('made "in the future" by a clock behind the writer\'s is taken as being written (skew delays healing, never forces it)', () => {
      const error = refusal(() => decide([reserved('case-a', ago(-RESERVATION_TTL_MS * 10))], 'case-new', 'none'));
      expect(error).toMatchObject({ kind: 'conflict', code: 'household-has-open-case' });
    });

    it('once fenced (its case stream holds only the fence: no referral can land under it), is released at once, however young', () => {
      expect(decide([reserved('case-a', ago(1_000))], 'case-new', 'fenced')).toEqual({
        fences: [],
        newKeyGeneration: false,
        events: [released('case-a'), reserved('case-new', NOW)],
        previousCaseId: null,
      });
    });

    it('a retry of its own referral after the fence renews it (its case is then written after the fence)', () => {
      expect(decide([reserved('case-a'), reserved('case-new', ago(1_000))], 'case-new', 'fenced')).toEqual({
        fences: [],
        newKeyGeneration: false,
        events: [released('case-new'), reserved('case-new', NOW)],
        previousCaseId: 'case-a',
      });
    });

    it('when released, the new case links to the case before the stale reservation', () => {
      const events = [reserved('case-a'), reserved('case-stale', ago(RESERVATION_TTL_MS + 1))];
      expect(decide(events, 'case-new', 'none')).toEqual({
        fences: ['case-stale'],
        newKeyGeneration: false,
        events: [released('case-stale'), reserved('case-new', NOW)],
        previousCaseId: 'case-a',
      });
    });
  });

  describe('a retry with the same case id', () => {
    it('renews its own reservation while the case stream is missing, however young it is', () => {
      const events = [reserved('case-a'), reserved('case-new', ago(1_000))];
      expect(decide(events, 'case-new', 'none')).toEqual({
        fences: [],
        newKeyGeneration: false,
        events: [released('case-new'), reserved('case-new', NOW)],
        previousCaseId: 'case-a',
      });
    });

    it('renews the first reservation of a household without a previous case', () => {
      expect(decide([reserved('case-new', ago(1_000))], 'case-new', 'none')).toEqual({
        fences: [],
        newKeyGeneration: false,
        events: [released('case-new'), reserved('case-new', NOW)],
        previousCaseId: null,
      });
    });

    it.each(['referred', 'active', 'rejected', 'closed'] as const)('is refused once the case exists (%s): invalid-state', (status) => {
      const error = refusal(() => decide([reserved('case-new', ago(1_000))], 'case-new', status));
      expect(error).toMatchObject({ kind: 'conflict', code: 'invalid-state' });
      expect(error.message).toContain(status);
    });
  });

  describe("a reservation whose case stream holds another household's referral (a stray: same case id, other household)", () => {
    it('is released at once and the new case reserved: nobody can record a referral under it any more', () => {
      expect(decide([reserved('case-x', ago(1_000))], 'case-new', 'foreign')).toEqual({
        fences: [],
        newKeyGeneration: false,
        events: [released('case-x'), reserved('case-new', NOW)],
        previousCaseId: null,
      });
    });

    it("never becomes the previous case: the new case links to the household's own case before it", () => {
      expect(decide([reserved('case-a'), reserved('case-x')], 'case-new', 'foreign')).toEqual({
        fences: [],
        newKeyGeneration: false,
        events: [released('case-x'), reserved('case-new', NOW)],
        previousCaseId: 'case-a',
      });
    });

    it("leaves the rules to the household's own case before it: an open one still refuses", () => {
      const reservedCases = new Map<string, ReservedCase>([
        ['case-a', { status: 'active' }],
        ['case-x', { status: 'foreign' }],
      ]);
      const error = refusal(() =>
        decideReservation(
          { householdId: HH, caseId: 'case-new', receivedOn: '2025-06-01', reservedCases, context },
          fold([reserved('case-a'), reserved('case-x')]),
        ),
      );
      expect(error).toMatchObject({ kind: 'conflict', code: 'household-has-open-case' });
    });

    it("and so is the date rule against that case's closing", () => {
      const reservedCases = new Map<string, ReservedCase>([
        ['case-a', { status: 'closed', closedOn: '2025-06-10' }],
        ['case-x', { status: 'foreign' }],
      ]);
      const error = refusal(() =>
        decideReservation(
          { householdId: HH, caseId: 'case-new', receivedOn: '2025-06-01', reservedCases, context },
          fold([reserved('case-a'), reserved('case-x')]),
        ),
      );
      expect(error).toMatchObject({ kind: 'conflict', code: 'date-before-previous-closing' });
    });
  });

  describe('a referral refused because its case id belongs to another household (decideStrayRelease)', () => {
    it('releases what it reserved for that id', () => {
      expect(decideStrayRelease(HH, 'case-x', fold([reserved('case-a'), reserved('case-x')]))).toEqual([released('case-x')]);
    });

    it('appends nothing when it reserved nothing (refused before it reserved, or released already)', () => {
      expect(decideStrayRelease(HH, 'case-x', fold([reserved('case-a')]))).toEqual([]);
      expect(decideStrayRelease(HH, 'case-x', fold([reserved('case-x'), released('case-x')]))).toEqual([]);
    });
  });

  it('two concurrent referrals: both decide on the same revision, the loser re-decides and is refused', () => {
    const history = [reserved('case-a')];
    const first = decide(history, 'case-x', 'closed');
    const second = decide(history, 'case-y', 'closed');
    expect(first.events).toEqual([reserved('case-x', NOW)]);
    expect(second.events).toEqual([reserved('case-y', NOW)]); // the store's expected revision refuses one append
    // The loser reads the winner's reservation; the winner's case stream is not yet written.
    const error = refusal(() => decide([...history, ...first.events], 'case-y', 'none'));
    expect(error).toMatchObject({ kind: 'conflict', code: 'household-has-open-case' });
  });
});

describe("rule 3: a referral is never dated before the closing of the household's previous case", () => {
  const closedOn = '2025-05-20';
  const receive = (receivedOn: string, previous: ReservedCase = { status: 'closed', closedOn }) =>
    decideReservation(
      { householdId: HH, caseId: 'case-new', receivedOn, reservedCases: new Map([['case-a', previous]]), context },
      fold([reserved('case-a')]),
    );

  it('given a case closed on 20 May, when the next referral is dated 19 May, then date-before-previous-closing (422), nothing reserved', () => {
    const error = refusal(() => receive('2025-05-19'));
    expect(error).toMatchObject({ kind: 'conflict', code: 'date-before-previous-closing' });
    expect(error.message).toContain(closedOn);
  });

  it.each(['2025-05-20', '2025-05-21'])(
    'given a case closed on 20 May, when the next referral is dated %s, then it is reserved as a repeat case',
    (receivedOn) => {
      expect(receive(receivedOn)).toEqual({
        fences: [],
        newKeyGeneration: false,
        events: [reserved('case-new', NOW)],
        previousCaseId: 'case-a',
      });
    },
  );

  it("given a rejected previous case, the referral's date is left to the case rules", () => {
    expect(receive('2025-01-01', { status: 'rejected' }).previousCaseId).toBe('case-a');
  });
});

describe('evolveHousehold', () => {
  it('starts without cases', () => {
    expect(initialHouseholdState()).toEqual({ cases: [] });
  });

  it('a reservation appends the case in order', () => {
    expect(fold([reserved('case-a', '2024-01-01T00:00:00.000Z'), reserved('case-b', NOW)])).toEqual({
      cases: [
        { caseId: 'case-a', reservedAt: '2024-01-01T00:00:00.000Z' },
        { caseId: 'case-b', reservedAt: NOW },
      ],
    });
  });

  it('a release removes only that case', () => {
    expect(fold([reserved('case-a', NOW), reserved('case-b', NOW), released('case-b')])).toEqual({
      cases: [{ caseId: 'case-a', reservedAt: NOW }],
    });
    expect(fold([reserved('case-a', NOW), reserved('case-b', NOW), released('case-a')])).toEqual({
      cases: [{ caseId: 'case-b', reservedAt: NOW }],
    });
  });

  it('folding a renewal keeps one entry with the new time', () => {
    const state = fold([reserved('case-a', ago(5_000)), released('case-a'), reserved('case-a', NOW)]);
    expect(state).toEqual({ cases: [{ caseId: 'case-a', reservedAt: NOW }] });
  });

  it('folding a healed household leaves the new case latest, the stale one gone', () => {
    const history = [reserved('case-a'), reserved('case-stale', ago(RESERVATION_TTL_MS * 2))];
    const { events } = decide(history, 'case-new', 'none');
    expect(fold([...history, ...events]).cases.map((c) => c.caseId)).toEqual(['case-a', 'case-new']);
  });

  it('does not mutate the state it folds', () => {
    const state = Object.freeze({ cases: Object.freeze([{ caseId: 'case-a', reservedAt: NOW }]) });
    expect(evolveHousehold(state, reserved('case-b', NOW)).cases).toHaveLength(2);
    expect(state.cases).toHaveLength(1);
  });
});

it('refuses to fold an unknown household event instead of making it the state', () => {
  const unknown = { type: 'HouseholdMerged', data: { householdId: HH } } as unknown as HouseholdEvent;
  expect(() => evolveHousehold(initialHouseholdState(), unknown)).toThrow(new TypeError('unknown event type "HouseholdMerged"'));
});
