import type { CommandContext, Decider } from '../decider';
import { isCalendarDate } from '../dates';
import { conflict, forbidden, invalid } from '../errors';
import { unknownCommand, unknownEvent } from '../exhaustive';
import type { ActivityEvent, ActivityRecorded } from './events';
import { ACTIVITY_KINDS, ACTIVITY_LIMITS, DISTRICTS, PARTNER_KINDS } from './vocabulary';

/** `recordedBy` comes from the context. */
export interface RecordActivity {
  readonly type: 'RecordActivity';
  readonly activityId: string;
  readonly data: Omit<ActivityRecorded['data'], 'activityId' | 'recordedBy'>;
  readonly context: CommandContext;
}

export type ActivityCommand = RecordActivity;
export type ActivityCommandType = ActivityCommand['type'];

/**
 * Who may record: caseworkers (DOMAIN.md's role table). The Fachstelle's cooperation is recorded
 * by the caseworkers who took part (kind `cooperation_fachstelle`), so it is counted once.
 */
export const ACTIVITY_COMMAND_ROLES: Record<ActivityCommandType, readonly 'caseworker'[]> = {
  RecordActivity: ['caseworker'],
};

/** An activity stream holds one activity: recorded or not. */
export type ActivityState = { readonly status: 'none' } | { readonly status: 'recorded'; readonly on: string };

export const initialActivityState = (): ActivityState => ({ status: 'none' });

export const evolveActivity = (_state: ActivityState, event: ActivityEvent): ActivityState => {
  switch (event.type) {
    case 'ActivityRecorded':
      return { status: 'recorded', on: event.data.on };
    default:
      // One member does not narrow to never; from the second event type on the cast can go.
      return unknownEvent(event as never);
  }
};

/** Rule 6 for activities: checked before anything about the stream is told. */
export function authorizeActivity(command: ActivityCommand): void {
  const role = command.context.actor.role;
  if (!(ACTIVITY_COMMAND_ROLES[command.type] as readonly string[]).includes(role)) {
    throw forbidden('role-not-allowed', `the role ${role} may not ${command.type}`);
  }
}

const includes = (codes: readonly string[], value: unknown): boolean => typeof value === 'string' && codes.includes(value);

/**
 * The fixed ranges are checked at the HTTP edge already (400 `validation`); the decider checks
 * them again for callers that bypass it (tools, tests), as 400 too: the same body is wrong for
 * any activity. The date is the clock's rule (409 `date-in-future`), like the dates of a case.
 */
function requireValidActivity({ data, context }: RecordActivity): void {
  if (!isCalendarDate(data.on)) throw invalid('validation', 'on must be a calendar date');
  if (data.on > context.today) throw conflict('date-in-future', `${data.on} is in the future (today is ${context.today})`);
  if (!includes(ACTIVITY_KINDS, data.kind)) throw invalid('validation', 'kind is not an activity kind');
  if (!includes(DISTRICTS, data.district)) throw invalid('validation', 'district is not a district of Cologne');
  if (!data.partnerKinds.every((p) => includes(PARTNER_KINDS, p))) throw invalid('validation', 'partnerKinds holds an unknown code');
  if (new Set(data.partnerKinds).size !== data.partnerKinds.length) throw invalid('validation', 'partnerKinds names a partner twice');
  const { hoursMax, hoursStep, participantsMax } = ACTIVITY_LIMITS;
  if (!(data.hours > 0 && data.hours <= hoursMax && Number.isInteger(data.hours / hoursStep))) {
    throw invalid('validation', `hours must be more than 0 and at most ${hoursMax}, in steps of ${hoursStep}`);
  }
  if (!(Number.isInteger(data.participants) && data.participants >= 0 && data.participants <= participantsMax)) {
    throw invalid('validation', `participants must be a whole number from 0 to ${participantsMax}`);
  }
}

function recordActivity(command: RecordActivity, state: ActivityState): ActivityEvent[] {
  authorizeActivity(command);
  // An idempotent retry never gets here: the handler answers it from the stream's key first.
  if (state.status !== 'none') throw conflict('activity-exists', `activity ${command.activityId} is already recorded`);
  requireValidActivity(command);
  const { data, activityId, context } = command;
  return [
    {
      type: 'ActivityRecorded',
      data: {
        activityId,
        on: data.on,
        kind: data.kind,
        partnerKinds: [...data.partnerKinds],
        district: data.district,
        hours: data.hours,
        participants: data.participants,
        recordedBy: context.actor.userId,
      },
    },
  ];
}

export function decideActivity(command: ActivityCommand, state: ActivityState): ActivityEvent[] {
  switch (command.type) {
    case 'RecordActivity':
      return recordActivity(command, state);
    default:
      return unknownCommand(command as never);
  }
}

export const activityDecider: Decider<ActivityState, ActivityCommand, ActivityEvent> = {
  decide: decideActivity,
  evolve: evolveActivity,
  initialState: initialActivityState,
};
