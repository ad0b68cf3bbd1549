import {
  decideCase, decideReservation, decideStrayRelease, DomainError, evolveHousehold, initialHouseholdState, isRecordedCase,
  RESERVATION_FENCE, WRITER_DEADLINE_MS, type CommandContext, type HouseholdState, type ReceiveReferral, type ReservationFence, type ReservedCase,
} from '@wih/domain';
import { ConcurrencyError, StoreUnavailableError, streamName, type EventStore, type RecordedEvent } from '@wih/event-store';
import { randomUUID } from 'node:crypto';
import { decodeHouseholdEvent, encodeCaseEvent, encodeHouseholdEvent, eventIdsOf } from './codec';
import {
  backoff, caseStream, confirmedReplay, protectionFor, contextOf, defaultHandlerSettings, envelopeOf, foldCase, replayed,
  type Actor, type CommandOptions, type CommandResult, type HandlerSettings,
} from './case-commands';
import { RetriesExhaustedError } from './errors';
import { caseIdFromKey, findReplay, householdIdFromKey } from './idempotency';

export type ReferralInput = Omit<ReceiveReferral['data'], 'householdId' | 'previousCaseId'> & {
  readonly caseId?: string;
  readonly householdId?: string;
};

const householdStream = (householdId: string) => streamName('household', householdId);

/** What a reservation's case stream holds, as the household decision needs it (ids compared lower-cased). */
const reservedCaseOf = (events: readonly RecordedEvent[], householdId: string): ReservedCase => {
  const state = foldCase(events);
  if (state.status === 'none') return { status: events.length > 0 ? 'fenced' : 'none' };
  if (state.householdId.toLowerCase() !== householdId.toLowerCase()) return { status: 'foreign' };
  return state.status === 'closed' ? { status: 'closed', closedOn: state.closedOn } : { status: state.status };
};

async function readHouseholdStream(store: EventStore, householdId: string) {
  const events = await store.readStream(householdStream(householdId));
  const state: HouseholdState = events.reduce((s, e) => evolveHousehold(s, decodeHouseholdEvent(e)), initialHouseholdState());
  return { state, revision: events.at(-1)?.revision ?? -1 };
}

/** The household stream, and its reservations' case streams from the latest back to its latest recorded case. */
async function readHousehold(store: EventStore, householdId: string) {
  const { state, revision } = await readHouseholdStream(store, householdId);
  const reservedCases = new Map<string, ReservedCase>();
  for (const { caseId } of [...state.cases].reverse()) {
    const reserved = reservedCaseOf(await store.readStream(caseStream(caseId)), householdId);
    reservedCases.set(caseId, reserved);
    if (isRecordedCase(reserved)) break;
  }
  return { state, reservedCases, revision };
}

/** Releases this referral's reservation of a case id that another household's referral took (decideStrayRelease). */
async function releaseStray(store: EventStore, householdId: string, caseId: string, settings: HandlerSettings, context: CommandContext): Promise<void> {
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const { state, revision } = await readHouseholdStream(store, householdId);
    const events = decideStrayRelease(householdId, caseId, state);
    if (events.length === 0) return;
    try {
      await store.append(householdStream(householdId), events.map((e) => encodeHouseholdEvent(e, envelopeOf(context, {}))), revision < 0 ? 'no-stream' : revision);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      await backoff(attempt);
    }
  }
}

/** The first answer when the case stream holds this request's events (its idempotency key), else null. */
async function replayOf(caseEvents: readonly RecordedEvent[], caseId: string, householdId: string, options: CommandOptions, settings: HandlerSettings): Promise<CommandResult | null> {
  const replay = findReplay(caseEvents, options.idempotency);
  if (!replay || !options.idempotency) return null;
  await confirmedReplay(replay, options.idempotency, householdId, settings.keys);
  return replayed(caseId, replay);
}

/**
 * A referral writes two streams (rule 5): it reserves the case on the household stream with
 * optimistic concurrency, then writes the case stream. Every rule is decided before the first
 * append, so a refused referral writes nothing. See household.ts for crash healing.
 */
export async function receiveReferral(
  store: EventStore,
  input: ReferralInput,
  actor: Actor,
  options: CommandOptions = {},
  settings: HandlerSettings = defaultHandlerSettings,
): Promise<CommandResult> {
  const { caseId: givenCaseId, householdId: givenHouseholdId, ...data } = input;
  const caseId = givenCaseId ?? (options.idempotency ? caseIdFromKey(options.idempotency) : randomUUID());
  const householdId = givenHouseholdId ?? (options.idempotency ? householdIdFromKey(options.idempotency) : randomUUID());
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    const caseEvents = await store.readStream(caseStream(caseId));
    const replay = await replayOf(caseEvents, caseId, householdId, options, settings);
    if (replay) return replay;
    try {
      return await attemptReferral(store, { caseId, householdId, data, caseEvents }, actor, options, settings);
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        await backoff(attempt);
        continue;
      }
      // An identical request (same key) may have landed after this attempt read the case stream,
      // and refused it (its case exists): its answer is this request's answer too.
      const landed = error instanceof DomainError && options.idempotency
        ? await replayOf(await store.readStream(caseStream(caseId)), caseId, householdId, options, settings) : null;
      if (landed) return landed;
      throw error;
    }
  }
  throw new RetriesExhaustedError(householdStream(householdId), settings.maxAttempts);
}

interface Attempt {
  readonly caseId: string;
  readonly householdId: string;
  readonly data: Omit<ReferralInput, 'caseId' | 'householdId'>;
  /** The case stream as this attempt read it (no event of this request in it). */
  readonly caseEvents: readonly RecordedEvent[];
}

/** One attempt: decide on what was read, then reserve and write; a ConcurrencyError means read again. */
async function attemptReferral(store: EventStore, attempt: Attempt, actor: Actor, options: CommandOptions, settings: HandlerSettings): Promise<CommandResult> {
  const { caseId, householdId, data, caseEvents } = attempt;
  const context = contextOf(actor, settings.clock);
  const command = (previousCaseId: string | null): ReceiveReferral =>
    ({ type: 'ReceiveReferral', caseId, context, data: { ...data, householdId, previousCaseId } });
  // An existing case is refused here (invalid-state) before the household is touched.
  if (caseEvents.length > 0) {
    if (reservedCaseOf(caseEvents, householdId).status === 'foreign') await releaseStray(store, householdId, caseId, settings, context);
    decideCase(command(null), foldCase(caseEvents));
  }
  const household = await readHousehold(store, householdId);
  const reservation = decideReservation({ householdId, caseId, receivedOn: data.receivedOn, reservedCases: household.reservedCases, context }, household.state);
  const caseEventsToWrite = decideCase(command(reservation.previousCaseId), foldCase([]));
  // The household's key is created here, at its first referral (or its return after an erasure), before anything is appended.
  const protection = await protectionFor(caseEventsToWrite, householdId, context, settings.keys, reservation.newKeyGeneration);
  const envelope = envelopeOf(context, options, protection);
  // Healing: no stalled writer can land a case under a reservation released below (decision 0005).
  for (const fenced of reservation.fences) {
    const fence: ReservationFence = { type: RESERVATION_FENCE, data: { caseId: fenced, householdId } };
    await store.append(caseStream(fenced), [encodeHouseholdEvent(fence, envelope, eventIdsOf(envelope, caseStream(fenced), 'no-stream', 1)[0])], 'no-stream');
  }
  const expected = household.revision < 0 ? 'no-stream' : household.revision;
  const reservationIds = eventIdsOf(envelope, householdStream(householdId), expected, reservation.events.length);
  await store.append(householdStream(householdId), reservation.events.map((e, i) => encodeHouseholdEvent(e, envelope, reservationIds[i])), expected);
  if (settings.clock().getTime() - Date.parse(context.now) > WRITER_DEADLINE_MS) {
    throw new StoreUnavailableError('the referral took too long to write; retry it');
  }
  // After a fence, if this referral's own reservation was healed and it is retried (it holds no case: checked above).
  const after = caseEvents.length > 0 ? caseEvents[caseEvents.length - 1].revision : 'no-stream';
  const caseIds = eventIdsOf(envelope, caseStream(caseId), after, caseEventsToWrite.length);
  const result = await store.append(caseStream(caseId), caseEventsToWrite.map((e, i) => encodeCaseEvent(e, envelope, protection, caseIds[i])), after);
  return { caseId, ...result, replayed: false };
}
