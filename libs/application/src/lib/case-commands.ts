import type { CaseCommand, CommandContext, HouseholdStanding, ReceiveReferral } from '@wih/domain';
import type { EventStore, RecordedEvent } from '@wih/event-store';
import { contextOf, defaultHandlerSettings, handleCommand, type Actor, type CommandOptions, type HandlerSettings } from './handle-command';
import { stateCacheOf } from './state-cache';
import { CASE_STREAMS, caseStream, HOUSEHOLD_STREAMS, householdStream } from './streams';

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
  // Each attempt reads the household's standing afresh (decision 0030).
  const withStanding = async (context: CommandContext, state: { status: string; householdId?: string }) =>
    command(state.householdId === undefined ? context : { ...context, household: await householdStanding(store, state.householdId) });
  const result = await handleCommand(
    store,
    { stream: caseStream(caseId), decider: CASE_STREAMS, command: withStanding, actor, options },
    settings,
  );
  return { caseId, ...result };
}

/**
 * What the household stream says about the case's household, for the case decider: its latest
 * case. One more read per command, of the events after the cached revision only (the state
 * cache). It is not part of the case append's expected revision: a household event landing
 * between this read and the append is ordered after the command, as if it came a moment later.
 */
export async function householdStanding(store: EventStore, householdId: string): Promise<HouseholdStanding> {
  const { state } = await stateCacheOf(store, HOUSEHOLD_STREAMS).load(store, householdStream(householdId));
  return { latestCaseId: state.cases.at(-1)?.caseId ?? null };
}
