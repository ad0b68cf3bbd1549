import { caseStream, encodeCaseEvent, encodeHouseholdEvent, householdStream, type Envelope } from '@wih/application';
import {
  addDays,
  addMonths,
  businessDateOf,
  CASE_CATEGORY,
  decideReservation,
  evolveHousehold,
  HOUSEHOLD_CATEGORY,
  initialHouseholdState,
  type CalendarDate,
  type CommandContext,
  type HouseholdState,
  type ReceiveReferral,
} from '@wih/domain';
import type { NewEvent } from '@wih/event-store';
import { performance } from 'node:perf_hooks';
import { DAY_MS, dateOf, dayOf, workday } from './calendar';
import { generateCase, type Staff } from './case-plan';
import { LogWriter, type LogRow } from './log-writer';
import { addressOf } from './people';
import { Prng } from './prng';

export interface HistoryOptions {
  readonly cases: number;
  readonly seed: number;
  /** An event store file that is missing or empty. */
  readonly file: string;
  /** The last business day of the history (default: yesterday in Cologne). */
  readonly endOn?: CalendarDate;
  readonly years?: number;
  readonly onProgress?: (casesDone: number) => void;
}

type Status = 'referred' | 'active' | 'rejected' | 'closed';

export interface HistoryCounts {
  readonly cases: number;
  readonly households: number;
  /** Referrals of a household whose earlier case was closed (previousCaseId set). */
  readonly repeatCases: number;
  /** Every row of the log: case and household events. */
  readonly events: number;
  readonly caseEvents: number;
  readonly householdEvents: number;
  readonly byType: Record<string, number>;
  /** Case status at the end of the history. */
  readonly byStatus: Record<Status, number>;
  readonly closingReasons: Record<string, number>;
  readonly approved: number;
  readonly housingSecured: number;
  readonly extendedCases: number;
  readonly reassignedCases: number;
  /** Visits recorded after a visit with a later date (out of date order in their stream). */
  readonly outOfOrderVisits: number;
  readonly withChildren: number;
  readonly firstOn: CalendarDate;
  readonly lastOn: CalendarDate;
  readonly caseworkers: number;
  readonly fachstelle: number;
  readonly seconds: number;
}

/** Caseloads of about 150 cases over the years (some 40 open at a time), one Fachstelle user per 5,000. */
export const staffFor = (cases: number): Staff => ({
  caseworkers: Array.from({ length: Math.max(4, Math.round(cases / 150)) }, (_, i) => `cw-${String(i + 1).padStart(4, '0')}`),
  fachstelle: Array.from({ length: Math.max(2, Math.round(cases / 5000)) }, (_, i) => `fs-${String(i + 1).padStart(3, '0')}`),
});

/** Share of referrals that are repeat cases of a household whose earlier case is closed. */
const REPEAT_SHARE = 0.09;

interface PendingRow extends LogRow {
  readonly at: number;
}

/** More rows than one day can hold: a day's sort key is (ms into the day) × slots + index. */
const BUCKET_SLOTS = 2 ** 22;

interface Closed {
  readonly householdId: string;
  readonly household: ReceiveReferral['data']['household'];
  readonly closedOn: CalendarDate;
}

const count = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

/**
 * Generates a realistic event log of `cases` cases over `years` years (DOMAIN.md's lifecycle,
 * household streams with their reservations) into `file`, in recorded-time order. Deterministic:
 * the same options give the same log (for the same end date).
 */
export async function generateHistory(options: HistoryOptions): Promise<HistoryCounts> {
  const started = performance.now();
  const rng = new Prng(options.seed);
  const endDay = dayOf(options.endOn ?? addDays(businessDateOf(new Date()), -1));
  const startDay = dayOf(addMonths(dateOf(endDay), -12 * (options.years ?? 3))) + 1;
  const span = endDay - startDay + 1;
  const staff = staffFor(options.cases);
  const writer = await LogWriter.create(options.file);

  // The log is written in recorded order: a case's later events wait in per-day buckets until no
  // case still to be generated (all received later) can record anything before them.
  const buckets = new Map<number, PendingRow[]>();
  // From the day before: workday() moves a Saturday back to Friday, so when the first day is a
  // Saturday its cases are received the day before (their rows were never written).
  let flushedTo = startDay - 1;
  const push = (row: PendingRow) => {
    const day = Math.floor(row.at / DAY_MS);
    let bucket = buckets.get(day);
    if (!bucket) buckets.set(day, (bucket = []));
    bucket.push(row);
  };
  const flushBefore = (day: number) => {
    for (; flushedTo < day; flushedTo++) {
      const bucket = buckets.get(flushedTo);
      if (!bucket) continue;
      buckets.delete(flushedTo);
      // By recorded instant, then by push order (a reservation before its case event): one numeric
      // key per row, sorted as a typed array, is several times faster than comparing objects.
      const dayStart = flushedTo * DAY_MS;
      const keys = Float64Array.from(bucket, (row, i) => (row.at - dayStart) * BUCKET_SLOTS + i).sort();
      for (const key of keys) writer.add(bucket[key % BUCKET_SLOTS]);
    }
  };

  // One envelope per command: a referral's household reservation and case event share it.
  const envelopes = new WeakMap<CommandContext, Envelope>();
  const envelopeOf = (context: CommandContext): Envelope => {
    let envelope = envelopes.get(context);
    if (!envelope) {
      const { userId, role } = context.actor;
      envelope = { commandId: rng.uuid(), correlationId: rng.uuid(), userId, role, recordedAt: context.now };
      envelopes.set(context, envelope);
    }
    return envelope;
  };
  const rowOf = (stream: string, category: string, revision: number, event: NewEvent, at: number): PendingRow => ({
    at,
    stream,
    category,
    revision,
    id: rng.uuid(),
    type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
  });

  const households = new Map<string, { state: HouseholdState; revision: number }>();
  // Closed cases become candidates for a repeat referral from the day after their closure was recorded.
  const closures = new Map<number, Closed[]>();
  const candidates: Closed[] = [];
  let releasedTo = startDay;

  const byType: Record<string, number> = {};
  const byStatus: Record<Status, number> = { referred: 0, active: 0, rejected: 0, closed: 0 };
  const closingReasons: Record<string, number> = {};
  let [caseEvents, householdEvents, repeatCases, approved, housingSecured, extended, reassigned, outOfOrder, withChildren] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0,
  ];

  for (let i = 0; i < options.cases; i++) {
    const spread = workday(startDay + Math.floor(((i + rng.next()) / options.cases) * span));
    const receivedDay = spread > endDay ? spread - 3 : spread;
    flushBefore(receivedDay);
    for (; releasedTo < receivedDay; releasedTo++) {
      candidates.push(...(closures.get(releasedTo) ?? []));
      closures.delete(releasedTo);
    }
    let repeat: Closed | null = null;
    if (candidates.length > 0 && rng.chance(REPEAT_SHARE)) {
      const at = Math.floor(rng.next() * candidates.length);
      repeat = candidates[at];
      candidates[at] = candidates[candidates.length - 1];
      candidates.pop();
    }
    const caseId = rng.uuid();
    const householdId = repeat?.householdId ?? rng.uuid();
    const household = repeat && rng.chance(0.4) ? { ...repeat.household, address: addressOf(rng) } : repeat?.household;

    const reserve = (context: CommandContext, receivedOn: CalendarDate) => {
      const current = households.get(householdId) ?? { state: initialHouseholdState(), revision: -1 };
      // The earlier case of a repeat is closed (that is when it became a candidate).
      const latest = current.state.cases.at(-1);
      const reservedCases = new Map(latest && repeat ? [[latest.caseId, { status: 'closed' as const, closedOn: repeat.closedOn }]] : []);
      const reservation = decideReservation({ householdId, caseId, receivedOn, reservedCases, context }, current.state);
      let { state, revision } = current;
      for (const event of reservation.events) {
        state = evolveHousehold(state, event);
        push(
          rowOf(
            householdStream(householdId),
            HOUSEHOLD_CATEGORY,
            ++revision,
            encodeHouseholdEvent(event, envelopeOf(context)),
            Date.parse(context.now),
          ),
        );
        householdEvents++;
      }
      households.set(householdId, { state, revision });
      return { previousCaseId: reservation.previousCaseId };
    };

    const outcome = generateCase(rng, { caseId, householdId, receivedDay, endDay, staff, household }, reserve);
    let wasExtended = false;
    let wasReassigned = false;
    outcome.events.forEach(({ event, context, at }, revision) => {
      push(rowOf(caseStream(caseId), CASE_CATEGORY, revision, encodeCaseEvent(event, envelopeOf(context)), at));
      count(byType, event.type);
      if (event.type === 'ReferralReceived') {
        if (event.data.previousCaseId !== null) repeatCases++;
        if (event.data.children > 0) withChildren++;
      }
      if (event.type === 'ReferralApproved') approved++;
      if (event.type === 'HelpPeriodExtended') wasExtended = true;
      if (event.type === 'CaseworkerReassigned') wasReassigned = true;
      if (event.type === 'CaseClosed') count(closingReasons, event.data.reason);
    });
    caseEvents += outcome.events.length;
    if (outcome.state.status !== 'none') byStatus[outcome.state.status]++;
    if (outcome.housingSecured) housingSecured++;
    if (wasExtended) extended++;
    if (wasReassigned) reassigned++;
    outOfOrder += outcome.outOfOrderVisits;
    if (outcome.closedRecordDay !== null && outcome.state.status === 'closed') {
      const day = outcome.closedRecordDay + 1;
      const closed = { householdId, household: outcome.household, closedOn: outcome.state.closedOn };
      const released = closures.get(day);
      if (released) released.push(closed);
      else closures.set(day, [closed]);
    }
    if ((i + 1) % 10_000 === 0) options.onProgress?.(i + 1);
  }
  flushBefore(endDay + 1);
  await writer.close();

  return {
    cases: options.cases,
    households: households.size,
    repeatCases,
    events: caseEvents + householdEvents,
    caseEvents,
    householdEvents,
    byType,
    byStatus,
    closingReasons,
    approved,
    housingSecured,
    extendedCases: extended,
    reassignedCases: reassigned,
    outOfOrderVisits: outOfOrder,
    withChildren,
    firstOn: dateOf(startDay),
    lastOn: dateOf(endDay),
    caseworkers: staff.caseworkers.length,
    fachstelle: staff.fachstelle.length,
    seconds: (performance.now() - started) / 1000,
  };
}
