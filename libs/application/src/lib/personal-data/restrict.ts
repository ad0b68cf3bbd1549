import { DomainError, type CalendarDate, type RestrictionReason } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import { handleCaseCommand } from '../case-commands';
import { defaultHandlerSettings, handleCommand, type Actor, type HandlerSettings } from '../handle-command';
import { HOUSEHOLD_STREAMS, householdStream } from '../streams';

export interface RestrictionResult {
  readonly householdId: string;
  /** Events this call appended (cases and household); 0 when there was nothing left to do. */
  readonly appended: number;
  /** Global position of the last event written, or of the household stream's head when nothing was written. */
  readonly position: bigint;
}

type CaseMark =
  | { readonly type: 'RestrictProcessing'; readonly data: { householdId: string; restrictedOn: CalendarDate; reason: RestrictionReason } }
  | { readonly type: 'LiftRestriction'; readonly data: { householdId: string } };

/** Marks one case; a reserved case whose stream was never written has nothing to mark. */
async function markCase(
  store: EventStore,
  caseId: string,
  mark: CaseMark,
  actor: Actor,
  settings: HandlerSettings,
): Promise<bigint | null> {
  try {
    const result = await handleCaseCommand(store, (context) => ({ ...mark, caseId, context }) as never, actor, {}, settings);
    return result.replayed ? null : result.position;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'case-not-found') return null;
    throw error;
  }
}

/**
 * Restricts (or lifts the restriction of) the processing of a household's data (Art. 18 DSGVO,
 * decision 0030), in the erasure's order: once the household's part is decided, every case of the
 * household is marked (the read models then withhold the personal data from caseworkers, and the
 * case decider refuses what a restriction forbids), then the household stream records it (no new
 * referral). A referral reserving a case meanwhile makes the household append conflict: the retry
 * marks that case too. A crash in between is completed by sending the request again: every step
 * appends nothing where it is already done.
 */
async function changeRestriction(
  store: EventStore,
  householdId: string,
  lift: boolean,
  data: { restrictedOn: CalendarDate; reason: RestrictionReason } | null,
  actor: Actor,
  settings: HandlerSettings,
): Promise<RestrictionResult> {
  let appended = 0;
  let position: bigint | null = null;
  const result = await handleCommand(
    store,
    {
      stream: householdStream(householdId),
      decider: HOUSEHOLD_STREAMS,
      actor,
      command: (context) =>
        lift || data === null
          ? { type: 'LiftHouseholdRestriction' as const, householdId, context }
          : { type: 'RestrictHousehold' as const, householdId, ...data, context },
      beforeAppend: async (_command, { state: household }) => {
        const mark: CaseMark =
          lift || data === null
            ? { type: 'LiftRestriction', data: { householdId } }
            : { type: 'RestrictProcessing', data: { householdId, ...data } };
        for (const { caseId } of household.cases) {
          const written = await markCase(store, caseId, mark, actor, settings);
          if (written !== null) {
            appended += 1;
            position = written;
          }
        }
      },
    },
    settings,
  );
  // Nothing new on the household: a repeat of a completed request (the household is written last, so its cases are marked).
  if (result.replayed) return { householdId, appended, position: position ?? result.position };
  return { householdId, appended: appended + 1, position: result.position };
}

export const restrictProcessing = (
  store: EventStore,
  householdId: string,
  data: { restrictedOn: CalendarDate; reason: RestrictionReason },
  actor: Actor,
  settings: HandlerSettings = defaultHandlerSettings,
): Promise<RestrictionResult> => changeRestriction(store, householdId, false, data, actor, settings);

export const liftRestriction = (
  store: EventStore,
  householdId: string,
  actor: Actor,
  settings: HandlerSettings = defaultHandlerSettings,
): Promise<RestrictionResult> => changeRestriction(store, householdId, true, null, actor, settings);
