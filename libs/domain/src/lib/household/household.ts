import type { CommandContext, Decider } from '../decider';
import type { CalendarDate } from '../dates';
import { conflict, forbidden, notFound } from '../errors';
import { unknownCommand, unknownEvent } from '../exhaustive';
import type { RestrictionReason } from '../case/vocabulary';

/**
 * Rule 5 spans streams: a household may have at most one referred or active case. It is decided
 * on the household's own stream with optimistic concurrency: a referral first reserves its case
 * id there (expected revision), then writes the case stream. Of two concurrent referrals, one
 * loses the household append, re-decides and sees the other's reservation.
 *
 * A crash between the two appends leaves a reservation without a case stream. The next referral
 * for the household heals it: it fences that case stream (RESERVATION_FENCE as its first event, so
 * the stalled writer's `no-stream` append can never land), then releases the reservation and
 * reserves its own. Safety rests on the fence, not on clocks. The clocks only decide when to heal:
 * a reservation younger than RESERVATION_TTL_MS (by the healer's clock against the writer's
 * reservedAt) is taken as in flight, and writers give up after WRITER_DEADLINE_MS of their own
 * clock, so that with sane clocks no live writer is fenced (docs/decisions/0005).
 */
export const RESERVATION_TTL_MS = 60_000;
export const WRITER_DEADLINE_MS = 10_000;

/**
 * The first event of a healed reservation's case stream. Not a case event: the case fold,
 * projections and evaluation skip it; a case stream holding only fences has no case.
 */
export const RESERVATION_FENCE = 'ReservationFenced';
export interface ReservationFence {
  readonly type: typeof RESERVATION_FENCE;
  readonly data: { readonly caseId: string; readonly householdId: string };
}

export type HouseholdEvent =
  | { readonly type: 'HouseholdCaseReserved'; readonly data: { householdId: string; caseId: string; reservedAt: string } }
  | { readonly type: 'HouseholdReservationReleased'; readonly data: { householdId: string; caseId: string } }
  | { readonly type: 'PersonalDataErased'; readonly data: { householdId: string; erasedOn: CalendarDate } }
  | { readonly type: 'ProcessingRestricted'; readonly data: { householdId: string; restrictedOn: CalendarDate; reason: RestrictionReason } }
  | { readonly type: 'RestrictionLifted'; readonly data: { householdId: string; liftedOn: CalendarDate } };

export interface HouseholdState {
  /** Cases of the household in order; released reservations are gone. */
  readonly cases: readonly { readonly caseId: string; readonly reservedAt: string }[];
  /**
   * Set while the household's personal data is erased (its keys destroyed); cleared when it comes
   * back (a reservation after the erasure), its new case's data under a new key generation.
   */
  readonly erasedOn?: CalendarDate;
  /** Set while processing is restricted (Art. 18 DSGVO, decision 0030): no new referral is accepted. */
  readonly restrictedOn?: CalendarDate;
}

export const initialHouseholdState = (): HouseholdState => ({ cases: [] });

export const evolveHousehold = (state: HouseholdState, event: HouseholdEvent): HouseholdState => {
  switch (event.type) {
    case 'HouseholdCaseReserved':
      return {
        cases: [...state.cases, { caseId: event.data.caseId, reservedAt: event.data.reservedAt }],
        ...(state.restrictedOn ? { restrictedOn: state.restrictedOn } : {}),
      };
    case 'HouseholdReservationReleased':
      return { ...state, cases: state.cases.filter((c) => c.caseId !== event.data.caseId) };
    case 'PersonalDataErased':
      return state.erasedOn ? state : { ...state, erasedOn: event.data.erasedOn };
    case 'ProcessingRestricted':
      return { ...state, restrictedOn: event.data.restrictedOn };
    case 'RestrictionLifted': {
      const { restrictedOn: _lifted, ...rest } = state;
      return rest;
    }
    default:
      return unknownEvent(event);
  }
};

/**
 * What the case stream of a reservation holds: this household's case in its status ('none': no
 * referral in it yet, in flight or crashed), only a fence ('fenced': healed, no referral can land
 * under the reservation), or another household's referral ('foreign': a stray reservation, left by
 * a referral that reused a case id; no referral can land under it either).
 */
export type ReservedCase =
  | { readonly status: 'none' | 'referred' | 'active' | 'rejected' | 'fenced' | 'foreign' }
  | { readonly status: 'closed'; readonly closedOn: CalendarDate };

/** Whether the reservation holds a recorded case of the household: older ones need not be read. */
export const isRecordedCase = (reserved: ReservedCase): boolean => !['none', 'fenced', 'foreign'].includes(reserved.status);

export interface ReserveCase {
  readonly householdId: string;
  readonly caseId: string;
  /** The referral's business date: never before the closing of the household's previous case (rule 3). */
  readonly receivedOn: CalendarDate;
  /**
   * What the case streams of the household's reservations hold, by case id: from the latest back
   * to its latest recorded case (isRecordedCase); older ones are not needed.
   */
  readonly reservedCases: ReadonlyMap<string, ReservedCase>;
  readonly context: CommandContext;
}

export interface Reservation {
  /** Case streams to fence (RESERVATION_FENCE, expected no-stream) before the household events are appended. */
  readonly fences: string[];
  readonly events: HouseholdEvent[];
  /** The household's earlier case, if any: the new case links to it (a repeat case). */
  readonly previousCaseId: string | null;
  /** The household comes back after its erasure: its new personal data goes under a new key generation. */
  readonly newKeyGeneration: boolean;
}

/**
 * Walks the reservations from the latest back to the household's latest recorded case, releasing
 * those that can never hold a case of this household (fenced ones, strays, crashed ones past the
 * TTL after fencing them, this referral's own earlier attempt, renewed), then decides on that case.
 */
export function decideReservation(command: ReserveCase, state: HouseholdState): Reservation {
  const { householdId, caseId, context } = command;
  if (state.restrictedOn) throw conflict('processing-restricted', "processing of the household's data is restricted: no new referral");
  const fences: string[] = [];
  const events: HouseholdEvent[] = [];
  let previousCaseId: string | null = null;
  for (const entry of [...state.cases].reverse()) {
    const reserved = command.reservedCases.get(entry.caseId);
    if (!reserved) throw new Error(`the case stream of reservation ${entry.caseId} was not read`);
    if (reserved.status === 'none' && entry.caseId !== caseId) {
      // A clock behind the writer's makes the age negative: still in flight (skew delays healing, never forces it).
      if (Date.parse(context.now) - Date.parse(entry.reservedAt) < RESERVATION_TTL_MS) {
        throw conflict('household-has-open-case', 'a referral for this household is being recorded');
      }
      fences.push(entry.caseId);
    }
    if (!isRecordedCase(reserved)) {
      events.push({ type: 'HouseholdReservationReleased', data: { householdId, caseId: entry.caseId } });
      continue;
    }
    if (entry.caseId === caseId) throw conflict('invalid-state', `case ${caseId} already exists (${reserved.status})`);
    if (reserved.status === 'referred' || reserved.status === 'active') {
      throw conflict('household-has-open-case', `the household already has a ${reserved.status} case`);
    }
    requireAfterClosing(command.receivedOn, reserved);
    previousCaseId = entry.caseId;
    break;
  }
  events.push({ type: 'HouseholdCaseReserved', data: { householdId, caseId, reservedAt: context.now } });
  // An erased household may come back: the same id keeps its repeat case counted (previousCaseId).
  return { fences, events, previousCaseId, newKeyGeneration: state.erasedOn !== undefined };
}

export interface ReleaseStrayReservation {
  readonly householdId: string;
  readonly caseId: string;
}

/**
 * A referral refused because its case id belongs to another household releases what it (or an
 * earlier attempt of it) reserved for that id: a refused referral leaves nothing behind.
 */
export function decideStrayRelease(householdId: string, caseId: string, state: HouseholdState): HouseholdEvent[] {
  return state.cases.some((c) => c.caseId === caseId) ? [{ type: 'HouseholdReservationReleased', data: { householdId, caseId } }] : [];
}

/** Rule 3: cases of one household never overlap by business date. */
function requireAfterClosing(receivedOn: CalendarDate, previous: ReservedCase): void {
  if (previous.status !== 'closed' || receivedOn >= previous.closedOn) return;
  throw conflict(
    'date-before-previous-closing',
    `${receivedOn} is before the closing of the household's previous case (${previous.closedOn})`,
  );
}

export interface EraseHousehold {
  readonly householdId: string;
  readonly context: CommandContext;
}

/**
 * The household-stream part of an erasure, recorded after its cases were marked (the application's
 * `erasePersonalData`): an unknown household is not found; an erased one appends nothing again.
 */
export function decideHouseholdErasure(command: EraseHousehold, state: HouseholdState): HouseholdEvent[] {
  if (command.context.actor.role !== 'admin') throw forbidden('role-not-allowed', 'only an admin may erase personal data');
  if (state.cases.length === 0 && !state.erasedOn) throw notFound('household-not-found', `household ${command.householdId} is not known`);
  if (state.erasedOn) return [];
  return [{ type: 'PersonalDataErased', data: { householdId: command.householdId, erasedOn: command.context.today } }];
}

export interface RestrictHousehold {
  readonly householdId: string;
  readonly restrictedOn: CalendarDate;
  readonly reason: RestrictionReason;
  readonly context: CommandContext;
}

const requireKnown = (householdId: string, state: HouseholdState): void => {
  if (state.cases.length === 0 && !state.erasedOn) throw notFound('household-not-found', `household ${householdId} is not known`);
};

/**
 * The household-stream part of a restriction, recorded after its cases were marked (the
 * application's `restrictProcessing`): Fachstelle only, dated not in the future; a restricted
 * household appends nothing again (a re-run completes the marks).
 */
export function decideRestriction(command: RestrictHousehold, state: HouseholdState): HouseholdEvent[] {
  const { householdId, restrictedOn, reason, context } = command;
  if (context.actor.role !== 'fachstelle') throw forbidden('role-not-allowed', 'only the Fachstelle may restrict processing');
  requireKnown(householdId, state);
  if (restrictedOn > context.today) throw conflict('date-in-future', `${restrictedOn} is in the future (today is ${context.today})`);
  if (state.restrictedOn) return [];
  return [{ type: 'ProcessingRestricted', data: { householdId, restrictedOn, reason } }];
}

export interface LiftHouseholdRestriction {
  readonly householdId: string;
  readonly context: CommandContext;
}

/** Lifting, after the cases' marks were lifted: dated today; an unrestricted household appends nothing. */
export function decideLifting(command: LiftHouseholdRestriction, state: HouseholdState): HouseholdEvent[] {
  const { householdId, context } = command;
  if (context.actor.role !== 'fachstelle') throw forbidden('role-not-allowed', 'only the Fachstelle may lift a restriction');
  requireKnown(householdId, state);
  return state.restrictedOn ? [{ type: 'RestrictionLifted', data: { householdId, liftedOn: context.today } }] : [];
}

export type HouseholdCommand =
  | ({ readonly type: 'ReserveCase' } & ReserveCase)
  | ({ readonly type: 'ReleaseStrayReservation' } & ReleaseStrayReservation)
  | ({ readonly type: 'EraseHousehold' } & EraseHousehold)
  | ({ readonly type: 'RestrictHousehold' } & RestrictHousehold)
  | ({ readonly type: 'LiftHouseholdRestriction' } & LiftHouseholdRestriction);

/**
 * The household's events for a command. A referral needs more of its reservation than the events
 * (the fences, the previous case, the key generation), so it calls decideReservation itself.
 */
export function decideHousehold(command: HouseholdCommand, state: HouseholdState): HouseholdEvent[] {
  switch (command.type) {
    case 'ReserveCase':
      return decideReservation(command, state).events;
    case 'ReleaseStrayReservation':
      return decideStrayRelease(command.householdId, command.caseId, state);
    case 'EraseHousehold':
      return decideHouseholdErasure(command, state);
    case 'RestrictHousehold':
      return decideRestriction(command, state);
    case 'LiftHouseholdRestriction':
      return decideLifting(command, state);
    default:
      return unknownCommand(command);
  }
}

export const householdDecider: Decider<HouseholdState, HouseholdCommand, HouseholdEvent> = {
  decide: decideHousehold,
  evolve: evolveHousehold,
  initialState: initialHouseholdState,
};
