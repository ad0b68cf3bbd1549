import type { CommandContext } from '../decider';
import { spec } from '../testing/decider-specification';
import { activityDecider, type RecordActivity } from './activity';
import type { ActivityRecorded } from './events';

const TODAY = '2025-06-15';
const caseworker: CommandContext = { actor: { userId: 'user-clara', role: 'caseworker' }, today: TODAY, now: '2025-06-15T08:00:00.000Z' };
const ID = 'a6b1c0de-0000-4000-8000-000000000001';

const record = (data: Partial<RecordActivity['data']> = {}, context: CommandContext = caseworker): RecordActivity => ({
  type: 'RecordActivity',
  activityId: ID,
  context,
  data: {
    on: '2025-06-12',
    kind: 'networking',
    partnerKinds: ['jobcenter', 'social_space_coordination'],
    district: 'kalk',
    hours: 2.5,
    participants: 14,
    ...data,
  },
});

const recorded = (data: Partial<ActivityRecorded['data']> = {}): ActivityRecorded => ({
  type: 'ActivityRecorded',
  data: {
    activityId: ID,
    on: '2025-06-12',
    kind: 'networking',
    partnerKinds: ['jobcenter', 'social_space_coordination'],
    district: 'kalk',
    hours: 2.5,
    participants: 14,
    recordedBy: 'user-clara',
    ...data,
  },
});

const given = spec(activityDecider).given;

describe('activityDecider: RecordActivity', () => {
  it('records an activity with the recorder from the context', () => {
    given([]).when(record()).then([recorded()]);
  });

  it('accepts today, no partner, no participants, a quarter hour and a whole day', () => {
    given([])
      .when(record({ on: TODAY, partnerKinds: [], participants: 0, hours: 0.25 }))
      .then([recorded({ on: TODAY, partnerKinds: [], participants: 0, hours: 0.25 })]);
    given([])
      .when(record({ hours: 24, participants: 10_000 }))
      .then([recorded({ hours: 24, participants: 10_000 })]);
  });

  it('refuses a date in the future, by the calendar of Cologne (the context)', () => {
    given([])
      .when(record({ on: '2025-06-16' }))
      .thenThrows('conflict', 'date-in-future');
  });

  it.each([0, -1, 24.25, 1.1, Number.NaN])('refuses %p hours', (hours) => {
    given([]).when(record({ hours })).thenThrows('invalid', 'validation', /hours/);
  });

  it.each([-1, 1.5, 10_001])('refuses %p participants', (participants) => {
    given([])
      .when(record({ participants }))
      .thenThrows('invalid', 'validation', /participants/);
  });

  it('refuses a partner kind named twice', () => {
    given([])
      .when(record({ partnerKinds: ['jobcenter', 'jobcenter'] }))
      .thenThrows('invalid', 'validation', /twice/);
  });

  it('refuses codes outside the vocabulary (callers that bypass the HTTP edge)', () => {
    given([])
      .when(record({ kind: 'coffee' as never }))
      .thenThrows('invalid', 'validation', /kind/);
    given([])
      .when(record({ district: 'bonn' as never }))
      .thenThrows('invalid', 'validation', /district/);
    given([])
      .when(record({ partnerKinds: ['neighbour' as never] }))
      .thenThrows('invalid', 'validation', /partnerKinds/);
  });

  it('refuses an activity id that is already recorded', () => {
    given([recorded()]).when(record()).thenThrows('conflict', 'activity-exists');
  });

  it.each(['fachstelle', 'evaluator', 'admin'] as const)('refuses the role %s before telling whether the activity exists', (role) => {
    const context: CommandContext = { ...caseworker, actor: { userId: 'user-x', role } };
    given([]).when(record({}, context)).thenThrows('forbidden', 'role-not-allowed');
    given([recorded()]).when(record({}, context)).thenThrows('forbidden', 'role-not-allowed');
  });

  it('refuses a command it does not know instead of returning it', () => {
    expect(() => activityDecider.decide({ type: 'DeleteActivity' } as unknown as RecordActivity, activityDecider.initialState())).toThrow(
      /unknown command type "DeleteActivity"/,
    );
  });
});
