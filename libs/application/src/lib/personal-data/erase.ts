import { DomainError, type HouseholdState } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import { handleCaseCommand } from '../case-commands';
import { defaultHandlerSettings, handleCommand, type Actor, type HandlerSettings } from '../handle-command';
import { caseStream, foldCase, foldHousehold, HOUSEHOLD_STREAMS, householdStream } from '../streams';
import { erasedHouseholds, type PersonalDataKeys } from './keys';

export interface ErasureOptions {
  /** Retention: leave a household alone that has a referred or active case (it came back meanwhile). */
  readonly skipIfOpenCase?: boolean;
}

export interface ErasureResult {
  readonly householdId: string;
  /** 'erased': this call completed it; 'already-erased': nothing left to do; 'skipped-open-case': see ErasureOptions. */
  readonly outcome: 'erased' | 'already-erased' | 'skipped-open-case';
  /** PersonalDataErased events this call appended (cases and household). */
  readonly appended: number;
}

const readHousehold = async (store: EventStore, householdId: string): Promise<HouseholdState> =>
  foldHousehold(await store.readStream(householdStream(householdId)));

async function hasOpenCase(store: EventStore, state: HouseholdState): Promise<boolean> {
  for (const { caseId } of state.cases) {
    const status = foldCase(await store.readStream(caseStream(caseId))).status;
    if (status === 'referred' || status === 'active') return true;
  }
  return false;
}

/** Marks one case; a reserved case whose stream was never written has nothing to mark. */
async function eraseCase(store: EventStore, caseId: string, householdId: string, actor: Actor, settings: HandlerSettings): Promise<number> {
  try {
    const result = await handleCaseCommand(
      store,
      (context) => ({ type: 'ErasePersonalData', caseId, context, data: { householdId } }),
      actor,
      {},
      settings,
    );
    return result.replayed ? 0 : 1;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'case-not-found') return 0;
    throw error;
  }
}

/**
 * Erases a household's personal data. The order makes every crash harmless:
 * 1. destroy the key: from this moment every sealed personal part is unreadable, everywhere;
 * 2. append PersonalDataErased to each case stream: the read models drop their copies through the
 *    normal subscription, and old plaintext events (schema 1) are masked on every replay;
 * 3. append PersonalDataErased to the household stream: the erasure is complete.
 * A crash before 3 leaves the household unmarked: running the erasure again (the same request, or
 * the daily retention job, which completes every destroyed key's household) finishes the steps;
 * each step is idempotent. A household already marked appends nothing.
 */
export async function erasePersonalData(
  store: EventStore,
  keys: PersonalDataKeys,
  householdId: string,
  actor: Actor,
  options: ErasureOptions = {},
  settings: HandlerSettings = { ...defaultHandlerSettings, keys },
): Promise<ErasureResult> {
  // Cases marked by every attempt: one that lost the household append to a referral still marked them.
  let appended = 0;
  try {
    const result = await handleCommand(
      store,
      {
        stream: householdStream(householdId),
        decider: HOUSEHOLD_STREAMS,
        actor,
        command: (context) => ({ type: 'EraseHousehold' as const, householdId, context }),
        // Steps 1 and 2, once the household's part is decided; a referral that reserved a case
        // meanwhile makes the household append conflict: the retry reads again and marks that case too.
        beforeAppend: async (_command, { state: household, context }) => {
          if (options.skipIfOpenCase && (await hasOpenCase(store, household))) throw new OpenCase();
          await keys.destroy(householdId, context.now);
          for (const { caseId } of household.cases) appended += await eraseCase(store, caseId, householdId, actor, settings);
        },
      },
      settings,
    );
    if (result.replayed) return { householdId, outcome: appended > 0 ? 'erased' : 'already-erased', appended };
    return { householdId, outcome: 'erased', appended: appended + 1 };
  } catch (error) {
    if (error instanceof OpenCase) return { householdId, outcome: 'skipped-open-case', appended };
    throw error;
  }
}

/** Retention leaves a household alone that has an open case: raised before anything is changed. */
class OpenCase extends Error {}

/**
 * Completes erasures a crash interrupted: every household whose latest key is destroyed but whose
 * stream has no PersonalDataErased since. Cheap: one household stream read per erased household.
 */
export async function completeInterruptedErasures(
  store: EventStore,
  keys: PersonalDataKeys,
  actor: Actor,
  settings: HandlerSettings = { ...defaultHandlerSettings, keys },
): Promise<ErasureResult[]> {
  const completed: ErasureResult[] = [];
  for (const householdId of await erasedHouseholds(keys.store)) {
    const state = await readHousehold(store, householdId);
    if (state.erasedOn || state.cases.length === 0) continue;
    completed.push(await erasePersonalData(store, keys, householdId, actor, {}, settings));
  }
  return completed;
}
