import { householdsDueForErasure, type CalendarDate, type DueHousehold, type RetentionPeriods } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import { defaultHandlerSettings, type Actor, type HandlerSettings } from '../case-commands';
import { replayFacts } from '../evaluation/replay';
import { completeInterruptedErasures, erasePersonalData, type ErasureResult } from './erase';
import { erasedHouseholds, type PersonalDataKeys } from './keys';

/** Who the log names as the actor of automatic erasures. */
export const RETENTION_ACTOR: Actor = { userId: 'system:retention', role: 'admin' };

export interface RetentionRun {
  readonly today: CalendarDate;
  readonly periods: RetentionPeriods;
  /** List what is due, change nothing. */
  readonly dryRun: boolean;
  /** The instant the facts are read as of (the log as known now). */
  readonly now: Date;
}

export interface RetentionReport {
  readonly today: CalendarDate;
  readonly dryRun: boolean;
  readonly due: readonly DueHousehold[];
  /** Erasures run (empty on a dry run); a household with an open case by now is skipped. */
  readonly erasures: readonly ErasureResult[];
  /** Erasures a crash had interrupted, completed first. */
  readonly completed: readonly ErasureResult[];
}

/**
 * The retention job: which households are due is decided from the non-personal facts of the log
 * (the same replay as evaluation: nothing is decrypted), then each is erased through the one
 * erasure path. Erasures interrupted by a crash are completed first. `settings` (clock, retries)
 * reach the erasures; the recorder of history fixtures runs the job under its fixed clock.
 */
export async function runRetention(
  store: EventStore,
  keys: PersonalDataKeys,
  run: RetentionRun,
  settings: HandlerSettings = { ...defaultHandlerSettings, keys },
): Promise<RetentionReport> {
  const completed = run.dryRun ? [] : await completeInterruptedErasures(store, keys, RETENTION_ACTOR, settings);
  const facts = await replayFacts(store, run.now.toISOString());
  const erased = await erasedHouseholds(keys.store);
  const due = householdsDueForErasure(facts.cases, run.today, run.periods, erased);
  const erasures: ErasureResult[] = [];
  if (!run.dryRun) {
    for (const { householdId } of due)
      erasures.push(await erasePersonalData(store, keys, householdId, RETENTION_ACTOR, { skipIfOpenCase: true }, settings));
  }
  return { today: run.today, dryRun: run.dryRun, due, erasures, completed };
}
