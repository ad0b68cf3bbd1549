import type { CaseCommand, CommandContext, ReceiveReferral } from '@wih/domain';
import type { EventStore, RecordedEvent } from '@wih/event-store';
import { contextOf, defaultHandlerSettings, handleCommand, type Actor, type CommandOptions, type HandlerSettings } from './handle-command';
import { CASE_STREAMS, caseStream } from './streams';

export {
  backoff,
  confirmedReplay,
  contextOf,
  defaultHandlerSettings,
  envelopeOf,
  protectionFor,
  type Actor,
  type CommandOptions,
  type HandlerSettings,
} from './handle-command';
export { caseStream, foldCase, isCaseEvent } from './streams';

export interface CommandResult {
  readonly caseId: string;
  readonly revision: number;
  readonly position: bigint;
  /** True when an idempotent retry returned the first answer without writing. */
  readonly replayed: boolean;
}

/** A command on an existing case. A referral writes the household stream first: it goes through receiveReferral only. */
export type ExistingCaseCommand = Exclude<CaseCommand, ReceiveReferral>;

export const replayed = (caseId: string, event: RecordedEvent): CommandResult => ({
  caseId,
  revision: event.revision,
  position: event.position,
  replayed: true,
});

/** A command on one case stream, through the one handler (handleCommand). */
export async function handleCaseCommand(
  store: EventStore,
  command: (context: CommandContext) => ExistingCaseCommand,
  actor: Actor,
  options: CommandOptions = {},
  settings: HandlerSettings = defaultHandlerSettings,
): Promise<CommandResult> {
  const { caseId } = command(contextOf(actor, settings.clock));
  const result = await handleCommand(store, { stream: caseStream(caseId), decider: CASE_STREAMS, command, actor, options }, settings);
  return { caseId, ...result };
}
