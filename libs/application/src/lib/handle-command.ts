import { businessDateOf, conflict, DomainError, type CommandContext, type Decider, type Role } from '@wih/domain';
import { KeyDestroyedError } from '@wih/key-store';
import { ConcurrencyError, type EventStore, type NewEvent, type RecordedEvent } from '@wih/event-store';
import { randomUUID } from 'node:crypto';
import { eventIdsOf, sealedKeyIdOf, type Envelope, type Protection } from './codec';
import { RetriesExhaustedError, StaleRevisionError } from './errors';
import { confirmPersonal, storedIdempotency, type IdempotencyRecord } from './idempotency';
import type { PersonalDataKeys } from './personal-data/keys';
import { stateCacheOf, type StreamView } from './state-cache';

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

export interface HandlerSettings {
  readonly clock: () => Date;
  /** Attempts on a concurrency conflict before giving up (20 concurrent writers must all land). */
  readonly maxAttempts: number;
  /** The households' data keys: personal parts are sealed with them (schema 2). */
  readonly keys?: PersonalDataKeys;
}

export const defaultHandlerSettings: HandlerSettings = { clock: () => new Date(), maxAttempts: 40 };

/** A domain Decider with what writing its streams needs: how its events are stored, and whose key seals them. */
export interface StreamDecider<State, Command, Event> extends Decider<State, Command, Event> {
  /** A stored event as a domain event; null for one the fold skips (a healed reservation's fence). */
  decode(recorded: RecordedEvent): Event | null;
  encode(event: Event, envelope: Envelope, protection: Protection | undefined, id: string): NewEvent;
  /** Events carrying personal data need the household's key before anything is appended. */
  carriesPersonalData(event: Event): boolean;
  /** The household whose key seals (and confirms replays of) the stream's personal parts; '' when none is known. */
  keyOwner(state: State, command?: Command): string;
  /** Who may act: checked before If-Match, since a 412 would tell a stranger the stream's revision. */
  authorize?(command: Command, state: State): void;
  /** The household comes back after its erasure: its data goes under a new key generation (decision 0020). */
  newKeyGeneration?(command: Command): boolean;
}

export interface CommandRequest<State, Command, Event> {
  readonly stream: string;
  readonly decider: StreamDecider<State, Command, Event>;
  /** Built per attempt on the state as read (its context carries that attempt's clock); may read other streams. */
  readonly command: (context: CommandContext, state: State) => Command | Promise<Command>;
  readonly actor: Actor;
  readonly options?: CommandOptions;
  /**
   * Writes on other streams that this append depends on, after the decision and in the same
   * attempt (a referral's reservation): a ConcurrencyError there retries the whole attempt.
   */
  readonly beforeAppend?: (
    command: Command,
    attempt: { readonly state: State; readonly envelope: Envelope; readonly context: CommandContext },
  ) => Promise<void>;
}

export interface StreamResult {
  readonly revision: number;
  readonly position: bigint;
  /** True when nothing was written: an idempotent retry's first answer, or a decision without events. */
  readonly replayed: boolean;
}

/**
 * The one command handler, for any stream decider: read the stream (through the state cache: only
 * the events since the cached revision), answer a keyed retry as the first time (decision 0004),
 * check who acts and If-Match, decide, seal, append with the expected revision. Without If-Match
 * a conflict is retried (re-read, re-decide, bounded); with If-Match it ends in StaleRevisionError
 * unless the conflicting write was this very request.
 */
export async function handleCommand<State, Command, Event>(
  store: EventStore,
  request: CommandRequest<State, Command, Event>,
  settings: HandlerSettings = defaultHandlerSettings,
): Promise<StreamResult> {
  const { stream, decider, options = {} } = request;
  const cache = stateCacheOf(store, decider);
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const view = await cache.load(store, stream);
    const replay = await replayIn(view, decider, options, settings);
    if (replay) return replay;
    try {
      const context = contextOf(request.actor, settings.clock);
      const command = await request.command(context, view.state);
      decider.authorize?.(command, view.state);
      if (options.expectedRevision !== undefined && options.expectedRevision !== view.revision) {
        throw new StaleRevisionError(options.expectedRevision, view.revision);
      }
      const events = decider.decide(command, view.state);
      // Nothing to record (an erasure of an erased case): answered like a replay, nothing written.
      if (events.length === 0) return { revision: view.revision, position: view.position, replayed: true };
      const protection = await protectionFor(
        events.some((e) => decider.carriesPersonalData(e)),
        decider.keyOwner(view.state, command),
        context,
        settings.keys,
        decider.newKeyGeneration?.(command),
      );
      const envelope = envelopeOf(context, options, protection);
      await request.beforeAppend?.(command, { state: view.state, envelope, context });
      const expected = view.revision < 0 ? 'no-stream' : view.revision;
      const ids = eventIdsOf(envelope, stream, expected, events.length);
      return {
        ...(await store.append(
          stream,
          events.map((e, i) => decider.encode(e, envelope, protection, ids[i])),
          expected,
        )),
        replayed: false,
      };
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        cache.forget(stream);
        await backoff(attempt);
        continue;
      }
      // An identical request (same key) may have landed since this attempt read the stream, e.g.
      // after an approval this one did not see yet: its answer is this request's answer too.
      const landed =
        options.idempotency && (error instanceof DomainError || error instanceof StaleRevisionError)
          ? await replayIn(await cache.load(store, stream), decider, options, settings)
          : null;
      if (landed) return landed;
      throw error;
    }
  }
  throw new RetriesExhaustedError(stream, settings.maxAttempts);
}

/** The first answer when the stream holds this request's events (its idempotency key), else null. */
async function replayIn<State>(
  view: StreamView<State>,
  decider: StreamDecider<State, unknown, unknown>,
  options: CommandOptions,
  settings: HandlerSettings,
): Promise<StreamResult | null> {
  const replay = view.replayOf(options.idempotency);
  if (!replay || !options.idempotency) return null;
  await confirmedReplay(replay, options.idempotency, decider.keyOwner(view.state), settings.keys);
  return { revision: replay.revision, position: replay.position, replayed: true };
}

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
export async function confirmedReplay(
  replay: RecordedEvent,
  record: IdempotencyRecord,
  householdId: string,
  keys?: PersonalDataKeys,
): Promise<void> {
  await confirmPersonal(replay, record, async () => {
    const keyId = sealedKeyIdOf(replay) ?? householdId;
    if (!keys || keyId === '') return null;
    const state = (await keys.forReading([keyId])).get(keyId);
    return state?.status === 'active' ? state.key : null;
  });
}

/**
 * The household's key when the events about to be written carry personal data: its current one,
 * or with `returning` (a referral of a household that comes back after its erasure) a new
 * generation. A destroyed key (the household was erased meanwhile) refuses the command like the
 * domain does.
 */
export async function protectionFor(
  personal: boolean,
  householdId: string,
  context: CommandContext,
  keys?: PersonalDataKeys,
  returning = false,
): Promise<Protection | undefined> {
  if (!keys || !personal) return undefined;
  try {
    return returning ? await keys.forReturning(householdId, context.now) : await keys.forWriting(householdId, context.now);
  } catch (error) {
    if (error instanceof KeyDestroyedError) throw conflict('personal-data-erased', "the household's personal data was erased");
    throw error;
  }
}

/** Small random pause so that conflicting writers spread out instead of colliding again. */
export const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 * attempt, 20)));
