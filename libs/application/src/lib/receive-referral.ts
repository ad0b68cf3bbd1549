import {
  decideCase,
  decideReservation,
  isRecordedCase,
  RESERVATION_FENCE,
  WRITER_DEADLINE_MS,
  type CaseEvent,
  type CaseState,
  type ReceiveReferral,
  type Reservation,
  type ReservationFence,
  type ReservedCase,
} from '@wih/domain';
import { StoreUnavailableError, type EventStore, type RecordedEvent } from '@wih/event-store';
import { randomUUID } from 'node:crypto';
import { encodeHouseholdEvent, eventIdsOf } from './codec';
import type { CommandResult } from './case-commands';
import {
  defaultHandlerSettings,
  handleCommand,
  type Actor,
  type CommandOptions,
  type HandlerSettings,
  type StreamDecider,
} from './handle-command';
import { caseIdFromKey, householdIdFromKey } from './idempotency';
import { CASE_STREAMS, caseStream, foldCase, foldHousehold, HOUSEHOLD_STREAMS, householdStream } from './streams';

export type ReferralInput = Omit<ReceiveReferral['data'], 'householdId' | 'previousCaseId'> & {
  readonly caseId?: string;
  readonly householdId?: string;
};

/** What a reservation's case stream holds, as the household decision needs it (ids compared lower-cased). */
const reservedCaseOf = (events: readonly RecordedEvent[], householdId: string): ReservedCase => {
  const state = foldCase(events);
  if (state.status === 'none') return { status: events.length > 0 ? 'fenced' : 'none' };
  if (state.householdId.toLowerCase() !== householdId.toLowerCase()) return { status: 'foreign' };
  return state.status === 'closed' ? { status: 'closed', closedOn: state.closedOn } : { status: state.status };
};

/** The household stream, and its reservations' case streams from the latest back to its latest recorded case. */
async function readHousehold(store: EventStore, householdId: string) {
  const events = await store.readStream(householdStream(householdId));
  const state = foldHousehold(events);
  const revision = events.at(-1)?.revision ?? -1;
  const reservedCases = new Map<string, ReservedCase>();
  for (const { caseId } of [...state.cases].reverse()) {
    const reserved = reservedCaseOf(await store.readStream(caseStream(caseId)), householdId);
    reservedCases.set(caseId, reserved);
    if (isRecordedCase(reserved)) break;
  }
  return { state, reservedCases, revision };
}

/** One attempt's referral: the case command and the household reservation it was decided with. */
interface ReferralAttempt {
  readonly referral: ReceiveReferral;
  /** null when the case stream holds a case already: the decision refuses the referral before the household is touched. */
  readonly reservation: (Reservation & { readonly revision: number }) | null;
}

/** The case stream as a referral writes it: the case decider, deciding on the command of the attempt. */
const REFERRAL_STREAMS: StreamDecider<CaseState, ReferralAttempt, CaseEvent> = {
  decide: (attempt, state) => decideCase(attempt.referral, state),
  evolve: CASE_STREAMS.evolve,
  initialState: CASE_STREAMS.initialState,
  decode: CASE_STREAMS.decode,
  encode: CASE_STREAMS.encode,
  carriesPersonalData: CASE_STREAMS.carriesPersonalData,
  keyOwner: (state, attempt) => CASE_STREAMS.keyOwner(state, attempt?.referral),
  // The household's key is created at its first referral, or anew when it comes back after an erasure.
  newKeyGeneration: (attempt) => attempt.reservation?.newKeyGeneration ?? false,
};

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
  const result = await handleCommand(
    store,
    {
      stream: caseStream(caseId),
      decider: REFERRAL_STREAMS,
      actor,
      // A new case has no revision to match: If-Match does not apply to a referral.
      options: { ...options, expectedRevision: undefined },
      command: async (context, state): Promise<ReferralAttempt> => {
        const referral = (previousCaseId: string | null): ReceiveReferral => ({
          type: 'ReceiveReferral',
          caseId,
          context,
          data: { ...data, householdId, previousCaseId },
        });
        if (state.status !== 'none') {
          if (state.householdId.toLowerCase() !== householdId.toLowerCase())
            await releaseStray(store, householdId, caseId, actor, settings);
          return { referral: referral(null), reservation: null };
        }
        const household = await readHousehold(store, householdId);
        const reservation = decideReservation(
          { householdId, caseId, receivedOn: data.receivedOn, reservedCases: household.reservedCases, context },
          household.state,
        );
        return { referral: referral(reservation.previousCaseId), reservation: { ...reservation, revision: household.revision } };
      },
      beforeAppend: async ({ reservation }, { envelope, context }) => {
        if (!reservation) return;
        // Healing: no stalled writer can land a case under a reservation released below (decision 0005).
        for (const fenced of reservation.fences) {
          const fence: ReservationFence = { type: RESERVATION_FENCE, data: { caseId: fenced, householdId } };
          await store.append(
            caseStream(fenced),
            [encodeHouseholdEvent(fence, envelope, eventIdsOf(envelope, caseStream(fenced), 'no-stream', 1)[0])],
            'no-stream',
          );
        }
        const expected = reservation.revision < 0 ? 'no-stream' : reservation.revision;
        const ids = eventIdsOf(envelope, householdStream(householdId), expected, reservation.events.length);
        await store.append(
          householdStream(householdId),
          reservation.events.map((e, i) => encodeHouseholdEvent(e, envelope, ids[i])),
          expected,
        );
        // The case append follows at the revision this attempt read (after a fence, if this referral's own reservation was healed).
        if (settings.clock().getTime() - Date.parse(context.now) > WRITER_DEADLINE_MS) {
          throw new StoreUnavailableError('the referral took too long to write; retry it');
        }
      },
    },
    settings,
  );
  return { caseId, ...result };
}

/** Releases this referral's reservation of a case id that another household's referral took (decideStrayRelease). */
async function releaseStray(
  store: EventStore,
  householdId: string,
  caseId: string,
  actor: Actor,
  settings: HandlerSettings,
): Promise<void> {
  await handleCommand(
    store,
    {
      stream: householdStream(householdId),
      decider: HOUSEHOLD_STREAMS,
      actor,
      command: () => ({ type: 'ReleaseStrayReservation' as const, householdId, caseId }),
    },
    settings,
  );
}
