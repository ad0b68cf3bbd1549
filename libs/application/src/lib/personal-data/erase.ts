import { decideHouseholdErasure, DomainError, evolveHousehold, initialHouseholdState, type HouseholdState } from '@wih/domain';
import { ConcurrencyError, streamName, type EventStore } from '@wih/event-store';
import { decodeHouseholdEvent, encodeHouseholdEvent } from '../codec';
import {
  backoff, caseStream, contextOf, defaultHandlerSettings, envelopeOf, foldCase, handleCaseCommand,
  type Actor, type HandlerSettings,
} from '../case-commands';
import { RetriesExhaustedError } from '../errors';
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

const householdStream = (householdId: string) => streamName('household', householdId);

async function readHousehold(store: EventStore, householdId: string) {
  const events = await store.readStream(householdStream(householdId));
  const state: HouseholdState = events.reduce((s, e) => evolveHousehold(s, decodeHouseholdEvent(e)), initialHouseholdState());
  return { state, revision: events.at(-1)?.revision ?? -1 };
}

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
    const result = await handleCaseCommand(store, (context) => ({ type: 'ErasePersonalData', caseId, context, data: { householdId } }), actor, {}, settings);
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
  let appended = 0;
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const household = await readHousehold(store, householdId);
    const context = contextOf(actor, settings.clock);
    const events = decideHouseholdErasure({ householdId, context }, household.state);
    if (events.length === 0) return { householdId, outcome: appended > 0 ? 'erased' : 'already-erased', appended };
    if (options.skipIfOpenCase && (await hasOpenCase(store, household.state))) return { householdId, outcome: 'skipped-open-case', appended };
    await keys.destroy(householdId, context.now);
    for (const { caseId } of household.state.cases) appended += await eraseCase(store, caseId, householdId, actor, settings);
    try {
      const expected = household.revision < 0 ? 'no-stream' : household.revision;
      await store.append(householdStream(householdId), events.map((e) => encodeHouseholdEvent(e, envelopeOf(context, {}))), expected);
      return { householdId, outcome: 'erased', appended: appended + 1 };
    } catch (error) {
      // A referral reserved a case meanwhile: read again, so that case is marked too.
      if (!(error instanceof ConcurrencyError)) throw error;
      await backoff(attempt);
    }
  }
  throw new RetriesExhaustedError(householdStream(householdId), settings.maxAttempts);
}

/**
 * Completes erasures a crash interrupted: every household whose latest key is destroyed but whose
 * stream has no PersonalDataErased since. Cheap: one household stream read per erased household.
 */
export async function completeInterruptedErasures(
  store: EventStore, keys: PersonalDataKeys, actor: Actor, settings: HandlerSettings = { ...defaultHandlerSettings, keys },
): Promise<ErasureResult[]> {
  const completed: ErasureResult[] = [];
  for (const householdId of await erasedHouseholds(keys.store)) {
    const { state } = await readHousehold(store, householdId);
    if (state.erasedOn || state.cases.length === 0) continue;
    completed.push(await erasePersonalData(store, keys, householdId, actor, {}, settings));
  }
  return completed;
}
