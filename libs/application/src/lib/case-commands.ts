import {
  businessDateOf, conflict, decideCase, DomainError, evolveCase, initialCaseState, requireActor, RESERVATION_FENCE,
  type CaseCommand, type CaseEvent, type CaseState, type CommandContext, type Role,
} from '@wih/domain';
import { KeyDestroyedError } from '@wih/key-store';
import { ConcurrencyError, streamName, type EventStore, type RecordedEvent } from '@wih/event-store';
import { randomUUID } from 'node:crypto';
import { carriesPersonalData, decodeCaseEvent, encodeCaseEvent, eventIdsOf, sealedKeyIdOf, type Envelope, type Protection } from './codec';
import type { PersonalDataKeys } from './personal-data/keys';
import { RetriesExhaustedError, StaleRevisionError } from './errors';
import { caseStateCacheOf, type CaseView } from './case-state-cache';
import { confirmPersonal, storedIdempotency, type IdempotencyRecord } from './idempotency';

export interface Actor {
  readonly userId: string;
  readonly role: Role;
}

export interface CommandOptions {
  /** `If-Match`: the revision the client decided on; a different current revision is refused. */
  readonly expectedRevision?: number;
  readonly idempotency?: IdempotencyRecord;
  readonly correlationId?: string;
}

export interface CommandResult {
  readonly caseId: string;
  readonly revision: number;
  readonly position: bigint;
  /** True when an idempotent retry returned the first answer without writing. */
  readonly replayed: boolean;
}

export interface HandlerSettings {
  readonly clock: () => Date;
  /** Attempts on a concurrency conflict before giving up (20 concurrent writers must all land). */
  readonly maxAttempts: number;
  /** The households' data keys: personal parts are sealed with them (schema 2). */
  readonly keys?: PersonalDataKeys;
}

export const defaultHandlerSettings: HandlerSettings = { clock: () => new Date(), maxAttempts: 40 };

export const caseStream = (caseId: string): string => streamName('case', caseId);

/** Whether a stored event of a case stream is a case event (not the fence of a healed reservation, decision 0005). */
export const isCaseEvent = (event: RecordedEvent): boolean => event.type !== RESERVATION_FENCE;

export const foldCase = (events: readonly RecordedEvent[]): CaseState =>
  events.reduce((state, e) => (isCaseEvent(e) ? evolveCase(state, decodeCaseEvent(e)) : state), initialCaseState());

export const contextOf = (actor: Actor, clock: () => Date): CommandContext => {
  const now = clock();
  return { actor, now: now.toISOString(), today: businessDateOf(now) };
};

/** `protection`: the household's key, which binds the request's personal fields into the stored idempotency record. */
export const envelopeOf = (context: CommandContext, options: CommandOptions, protection?: Protection): Envelope => ({
  commandId: randomUUID(),
  correlationId: options.correlationId ?? randomUUID(),
  userId: context.actor.userId,
  role: context.actor.role,
  recordedAt: context.now,
  idempotency: options.idempotency ? storedIdempotency(options.idempotency, protection?.key) : undefined,
});

/**
 * A replay of a keyed request, once its personal fields match too (compared under the key the
 * first answer sealed with; a destroyed key leaves the facts to decide).
 */
export async function confirmedReplay(replay: RecordedEvent, record: IdempotencyRecord, householdId: string, keys?: PersonalDataKeys): Promise<void> {
  await confirmPersonal(replay, record, async () => {
    const keyId = sealedKeyIdOf(replay) ?? householdId;
    if (!keys || keyId === '') return null;
    const state = (await keys.forReading([keyId])).get(keyId);
    return state?.status === 'active' ? state.key : null;
  });
}

/**
 * The household's key for the events about to be written, when one of them carries personal data:
 * its current one, or with `returning` (a referral of a household that comes back after its
 * erasure) a new generation. A destroyed key (the household was erased meanwhile) refuses the
 * command like the domain does.
 */
export async function protectionFor(
  events: readonly CaseEvent[], householdId: string, context: CommandContext, keys?: PersonalDataKeys, returning = false,
): Promise<Protection | undefined> {
  if (!keys || !events.some(carriesPersonalData)) return undefined;
  try {
    return returning ? await keys.forReturning(householdId, context.now) : await keys.forWriting(householdId, context.now);
  } catch (error) {
    if (error instanceof KeyDestroyedError) throw conflict('personal-data-erased', "the household's personal data was erased");
    throw error;
  }
}

export const replayed = (caseId: string, event: RecordedEvent): CommandResult =>
  ({ caseId, revision: event.revision, position: event.position, replayed: true });

/** Small random pause so that conflicting writers spread out instead of colliding again. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 * attempt, 20)));

/**
 * The one generic command handler: read the stream (through the state cache: only the events
 * since the cached revision), fold, decide, append with the expected
 * revision. Without If-Match a conflict is retried (re-read, re-decide); with If-Match it ends in
 * StaleRevisionError unless the conflicting write was this very request (idempotent retry).
 */
export async function handleCaseCommand(
  store: EventStore,
  command: (context: CommandContext) => CaseCommand,
  actor: Actor,
  options: CommandOptions = {},
  settings: HandlerSettings = defaultHandlerSettings,
): Promise<CommandResult> {
  let stream = '';
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const context = contextOf(actor, settings.clock);
    const decided = command(context);
    stream = caseStream(decided.caseId);
    const view = await caseStateCacheOf(store).load(store, stream);
    const replay = await replayIn(view, decided.caseId, options, settings);
    if (replay) return replay;
    try {
      return await attemptCaseCommand(store, decided, view, context, options, settings);
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        caseStateCacheOf(store).forget(stream);
        await backoff(attempt);
        continue;
      }
      // An identical request (same key) may have landed since this attempt read the stream, e.g.
      // after an approval this one did not see yet: its answer is this request's answer too.
      const landed = options.idempotency && (error instanceof DomainError || error instanceof StaleRevisionError)
        ? await replayIn(await caseStateCacheOf(store).load(store, stream), decided.caseId, options, settings) : null;
      if (landed) return landed;
      throw error;
    }
  }
  throw new RetriesExhaustedError(stream, settings.maxAttempts);
}

/** The first answer when the stream holds this request's events (its idempotency key), else null. */
async function replayIn(view: CaseView, caseId: string, options: CommandOptions, settings: HandlerSettings): Promise<CommandResult | null> {
  const replay = view.replayOf(options.idempotency);
  if (!replay || !options.idempotency) return null;
  await confirmedReplay(replay, options.idempotency, view.state.status === 'none' ? '' : view.state.householdId, settings.keys);
  return replayed(caseId, replay);
}

/** One attempt on the stream as read: the checks, the decision, the append with the expected revision. */
async function attemptCaseCommand(
  store: EventStore, decided: CaseCommand, view: CaseView, context: CommandContext, options: CommandOptions, settings: HandlerSettings,
): Promise<CommandResult> {
  const stream = caseStream(decided.caseId);
  const { revision } = view;
  // Who may act comes before If-Match: a 412 would tell a stranger the case's revision.
  requireActor(decided, view.state);
  if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
    throw new StaleRevisionError(options.expectedRevision, revision);
  }
  const newEvents = decideCase(decided, view.state);
  // Nothing to record (an erasure of an erased case): answered like a replay, nothing written.
  if (newEvents.length === 0) return { caseId: decided.caseId, revision: view.revision, position: view.position, replayed: true };
  const protection = await protectionFor(newEvents, view.state.status === 'none' ? '' : view.state.householdId, context, settings.keys);
  const envelope = envelopeOf(context, options, protection);
  const expected = revision < 0 ? 'no-stream' : revision;
  const ids = eventIdsOf(envelope, stream, expected, newEvents.length);
  const result = await store.append(stream, newEvents.map((e, i) => encodeCaseEvent(e, envelope, protection, ids[i])), expected);
  return { caseId: decided.caseId, ...result, replayed: false };
}
