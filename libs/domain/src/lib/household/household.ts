import type { CommandContext } from '../decider';
import type { CalendarDate } from '../dates';
import { conflict, forbidden, notFound } from '../errors';
import { unknownEvent } from '../exhaustive';
import type { CaseStatus } from '../case/state';

/**
 * Rule 5 spans streams: a household may have at most one referred or active case. It is decided
 * on the household's own stream with optimistic concurrency: a referral first reserves its case
 * id there (expected revision), then writes the case stream. Of two concurrent referrals, one
 * loses the household append, re-decides and sees the other's reservation.
 *
 * A crash between the two appends leaves a reservation without a case stream. It is healed on
 * the next referral for the household: a reservation whose case stream is still missing after
 * RESERVATION_TTL_MS is released (HouseholdReservationReleased) and a new one is made. Writers
 * give up before appending a case stream whose reservation is older than WRITER_DEADLINE_MS, so a
 * slow writer never lands after its reservation was released (docs/decisions).
 */
export const RESERVATION_TTL_MS = 60_000;
export const WRITER_DEADLINE_MS = 10_000;

export type HouseholdEvent =
  | { readonly type: 'HouseholdCaseReserved'; readonly data: { householdId: string; caseId: string; reservedAt: string } }
  | { readonly type: 'HouseholdReservationReleased'; readonly data: { householdId: string; caseId: string } }
  | { readonly type: 'PersonalDataErased'; readonly data: { householdId: string; erasedOn: CalendarDate } };

export interface HouseholdState {
  /** Cases of the household in order; released reservations are gone. */
  readonly cases: readonly { readonly caseId: string; readonly reservedAt: string }[];
  /** Set once the household's personal data was erased (its key destroyed). */
  readonly erasedOn?: CalendarDate;
}

export const initialHouseholdState = (): HouseholdState => ({ cases: [] });

export const evolveHousehold = (state: HouseholdState, event: HouseholdEvent): HouseholdState => {
  switch (event.type) {
    case 'HouseholdCaseReserved':
      return { ...state, cases: [...state.cases, { caseId: event.data.caseId, reservedAt: event.data.reservedAt }] };
    case 'HouseholdReservationReleased':
      return { ...state, cases: state.cases.filter((c) => c.caseId !== event.data.caseId) };
    case 'PersonalDataErased':
      return state.erasedOn ? state : { ...state, erasedOn: event.data.erasedOn };
    default:
      return unknownEvent(event);
  }
};

export interface ReserveCase {
  readonly householdId: string;
  readonly caseId: string;
  /** Status of the household's latest case, read from its case stream ('none': stream missing). */
  readonly latestCaseStatus: CaseStatus | null;
  readonly context: CommandContext;
}

export interface Reservation {
  readonly events: HouseholdEvent[];
  /** The household's earlier case, if any: the new case links to it (a repeat case). */
  readonly previousCaseId: string | null;
}

export function decideReservation(command: ReserveCase, state: HouseholdState): Reservation {
  const { householdId, caseId, context } = command;
  if (state.erasedOn) {
    // Its key is destroyed for good: the personal data of a new case could not be protected.
    throw conflict('household-erased', "the household's personal data was erased; record the referral as a new household");
  }
  const latest = state.cases.at(-1);
  const reserve: HouseholdEvent = { type: 'HouseholdCaseReserved', data: { householdId, caseId, reservedAt: context.now } };
  if (!latest) return { events: [reserve], previousCaseId: null };
  const status = command.latestCaseStatus;
  const earlier = state.cases.at(-2)?.caseId ?? null;
  const release: HouseholdEvent = { type: 'HouseholdReservationReleased', data: { householdId, caseId: latest.caseId } };
  if (latest.caseId === caseId) {
    // A retry of the same referral: renew its own reservation (the case stream decides the rest).
    if (status === 'none' || status === null) return { events: [release, reserve], previousCaseId: earlier };
    throw conflict('invalid-state', `case ${caseId} already exists (${status})`);
  }
  if (status === 'referred' || status === 'active') {
    throw conflict('household-has-open-case', `the household already has a ${status} case`);
  }
  if (status === 'none' || status === null) {
    const age = Date.parse(context.now) - Date.parse(latest.reservedAt);
    if (age < RESERVATION_TTL_MS) throw conflict('household-has-open-case', 'a referral for this household is being recorded');
    return { events: [release, reserve], previousCaseId: earlier };
  }
  return { events: [reserve], previousCaseId: latest.caseId };
}

export interface EraseHousehold {
  readonly householdId: string;
  readonly context: CommandContext;
}

/**
 * The household-stream part of an erasure, recorded after its cases were marked (see
 * erase-personal-data.ts): an unknown household is not found; an erased one appends nothing again.
 */
export function decideHouseholdErasure(command: EraseHousehold, state: HouseholdState): HouseholdEvent[] {
  if (command.context.actor.role !== 'admin') throw forbidden('role-not-allowed', 'only an admin may erase personal data');
  if (state.cases.length === 0 && !state.erasedOn) throw notFound('household-not-found', `household ${command.householdId} is not known`);
  if (state.erasedOn) return [];
  return [{ type: 'PersonalDataErased', data: { householdId: command.householdId, erasedOn: command.context.today } }];
}
