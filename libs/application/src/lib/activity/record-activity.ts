import type { RecordActivity } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import { randomUUID } from 'node:crypto';
import { defaultHandlerSettings, handleCommand, type Actor, type CommandOptions, type HandlerSettings } from '../handle-command';
import { activityIdFromKey } from '../idempotency';
import { ACTIVITY_STREAMS, activityStream } from '../streams';

export type ActivityInput = RecordActivity['data'] & { readonly activityId?: string };

/** The command answer with the activity's id: `{activityId, revision, position}`. */
export interface ActivityResult {
  readonly activityId: string;
  readonly revision: number;
  readonly position: bigint;
  /** True when an idempotent retry returned the first answer without writing. */
  readonly replayed: boolean;
}

/**
 * Records an activity beyond single cases on its own stream through the one handler. Without an
 * id, a keyed request derives it from its key, so its retry finds its own stream and the key there.
 */
export async function recordActivity(
  store: EventStore,
  input: ActivityInput,
  actor: Actor,
  options: CommandOptions = {},
  settings: HandlerSettings = defaultHandlerSettings,
): Promise<ActivityResult> {
  const { activityId: given, ...data } = input;
  const activityId = given ?? (options.idempotency ? activityIdFromKey(options.idempotency) : randomUUID());
  const result = await handleCommand(
    store,
    {
      stream: activityStream(activityId),
      decider: ACTIVITY_STREAMS,
      actor,
      // A new activity has no revision to match: If-Match does not apply.
      options: { ...options, expectedRevision: undefined },
      command: (context): RecordActivity => ({ type: 'RecordActivity', activityId, data, context }),
    },
    settings,
  );
  return { activityId, ...result };
}
