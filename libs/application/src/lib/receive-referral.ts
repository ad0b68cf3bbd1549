import {
  decideCase, decideReservation, evolveHousehold, initialHouseholdState, WRITER_DEADLINE_MS,
  type ReceiveReferral, type HouseholdState, type ReservedCase,
} from '@wih/domain';
import { ConcurrencyError, StoreUnavailableError, streamName, type EventStore } from '@wih/event-store';
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

async function readHousehold(store: EventStore, householdId: string) {
  const events = await store.readStream(householdStream(householdId));
  const state: HouseholdState = events.reduce((s, e) => evolveHousehold(s, decodeHouseholdEvent(e)), initialHouseholdState());
  const reservedCases = new Map<string, ReservedCase>();
  const latest = state.cases.at(-1);
  if (latest) {
    const reserved = foldCase(await store.readStream(caseStream(latest.caseId)));
    reservedCases.set(latest.caseId, reserved.status === 'closed' ? { status: 'closed', closedOn: reserved.closedOn } : { status: reserved.status });
  }
  return { state, reservedCases, revision: events.at(-1)?.revision ?? -1 };
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
    const replay = findReplay(caseEvents, options.idempotency);
    if (replay && options.idempotency) {
      await confirmedReplay(replay, options.idempotency, householdId, settings.keys);
      return replayed(caseId, replay);
    }
    const context = contextOf(actor, settings.clock);
    const command = (previousCaseId: string | null): ReceiveReferral =>
      ({ type: 'ReceiveReferral', caseId, context, data: { ...data, householdId, previousCaseId } });
    // An existing case is refused here (invalid-state) before the household is touched.
    if (caseEvents.length > 0) decideCase(command(null), foldCase(caseEvents));
    const household = await readHousehold(store, householdId);
    const reservation = decideReservation({ householdId, caseId, receivedOn: data.receivedOn, reservedCases: household.reservedCases, context }, household.state);
    const caseEventsToWrite = decideCase(command(reservation.previousCaseId), foldCase([]));
    // The household's key is created here, at its first referral, before anything is appended.
    const protection = await protectionFor(caseEventsToWrite, householdId, context, settings.keys);
    const envelope = envelopeOf(context, options, protection);
    try {
      const expected = household.revision < 0 ? 'no-stream' : household.revision;
      const reservationIds = eventIdsOf(envelope, householdStream(householdId), expected, reservation.events.length);
      await store.append(householdStream(householdId), reservation.events.map((e, i) => encodeHouseholdEvent(e, envelope, reservationIds[i])), expected);
      if (settings.clock().getTime() - Date.parse(context.now) > WRITER_DEADLINE_MS) {
        throw new StoreUnavailableError('the referral took too long to write; retry it');
      }
      const caseIds = eventIdsOf(envelope, caseStream(caseId), 'no-stream', caseEventsToWrite.length);
      const result = await store.append(caseStream(caseId), caseEventsToWrite.map((e, i) => encodeCaseEvent(e, envelope, protection, caseIds[i])), 'no-stream');
      return { caseId, ...result, replayed: false };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      await backoff(attempt);
    }
  }
  throw new RetriesExhaustedError(householdStream(householdId), settings.maxAttempts);
}
