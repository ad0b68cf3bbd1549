import type { CommandContext } from '../decider';
import { conflict } from '../errors';
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
  | { readonly type: 'HouseholdReservationReleased'; readonly data: { householdId: string; caseId: string } };

export interface HouseholdState {
  /** Cases of the household in order; released reservations are gone. */
  readonly cases: readonly { readonly caseId: string; readonly reservedAt: string }[];
}

export const initialHouseholdState = (): HouseholdState => ({ cases: [] });

export const evolveHousehold = (state: HouseholdState, event: HouseholdEvent): HouseholdState => {
  switch (event.type) {
    case 'HouseholdCaseReserved':
      return { cases: [...state.cases, { caseId: event.data.caseId, reservedAt: event.data.reservedAt }] };
    case 'HouseholdReservationReleased':
      return { cases: state.cases.filter((c) => c.caseId !== event.data.caseId) };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
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
