import {
  addMonths,
  decideCase,
  EXISTING_AID,
  evolveCase,
  initialCaseState,
  type CalendarDate,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type ClosingReason,
  type CommandContext,
  type ExistingAid,
  type HousingAtClose,
  type HousingOutcome,
  type HousingSituation,
  type InstitutionKind,
  type MediationKind,
  type ReceiveReferral,
  type ReferralSource,
  type RejectionReason,
  type TargetGroup,
  type ThreatCause,
  type VisitConcern,
} from '@wih/domain';
import { DAY_MS, dateOf, dayOf, workday } from './calendar';
import { householdOf, noteOf } from './people';
import { Weighted, type Prng } from './prng';

/**
 * One case's life as the commands people would have issued, each on the day it was recorded.
 * Every command goes through the domain's decideCase against the state folded so far, so a
 * generated history is valid by construction: a rule the plan got wrong throws here instead of
 * producing a log the write side would never have accepted.
 */

export interface Actor {
  readonly userId: string;
  readonly role: 'caseworker' | 'fachstelle';
}

export interface Staff {
  readonly caseworkers: readonly string[];
  readonly fachstelle: readonly string[];
}

export interface CaseInput {
  readonly caseId: string;
  readonly householdId: string;
  readonly receivedDay: number;
  /** The last business day of the history: nothing is recorded after it. */
  readonly endDay: number;
  readonly staff: Staff;
  /** A repeat case keeps the household's name (and often its address). */
  readonly household?: ReceiveReferral['data']['household'];
}

/** The household side of a referral (rule 5, rule 3 on `receivedOn`): decided by the caller, which owns the household streams. */
export type Reserve = (context: CommandContext, receivedOn: CalendarDate) => { previousCaseId: string | null };

export interface DecidedEvent {
  readonly event: CaseEvent;
  readonly context: CommandContext;
  /** Recorded instant, ms since epoch: the order of the log. */
  readonly at: number;
}

export interface CaseOutcome {
  readonly events: DecidedEvent[];
  readonly state: CaseState;
  readonly household: ReceiveReferral['data']['household'];
  /** Day the closure was recorded, when it was (before the end). */
  readonly closedRecordDay: number | null;
  readonly housingSecured: boolean;
  readonly outOfOrderVisits: number;
}

type Performer = 'recorder' | 'fachstelle' | 'caseworker';

interface Step {
  readonly day: number;
  readonly seq: number;
  readonly performer: Performer;
  readonly command: (context: CommandContext, state: CaseState) => CaseCommand;
}

const SOURCES = new Weighted<ReferralSource>([
  ['fachstelle_wohnen', 24],
  ['social_office', 12],
  ['jobcenter', 12],
  ['housing_company', 10],
  ['asd', 8],
  ['free_provider', 8],
  ['private_landlord', 6],
  ['self', 5],
  ['social_space_coordination', 4],
  ['senior_counselling', 3],
  ['parish', 2],
  ['other', 6],
]);
const TARGET_GROUPS = new Weighted<TargetGroup>([
  ['recommitted', 35],
  ['committed_vacant', 25],
  ['prevention_aftercare', 40],
]);
const SITUATIONS: Record<TargetGroup, Weighted<HousingSituation>> = {
  recommitted: new Weighted([
    ['seized_flat', 85],
    ['committed_housing', 10],
    ['other', 5],
  ]),
  committed_vacant: new Weighted([
    ['committed_housing', 90],
    ['other', 10],
  ]),
  prevention_aftercare: new Weighted([
    ['own_tenancy_at_risk', 90],
    ['other', 10],
  ]),
};
const CAUSES = new Weighted<ThreatCause>([
  ['rent_arrears', 40],
  ['income_problems', 18],
  ['tenancy_behaviour', 14],
  ['eviction_suit', 10],
  ['family_crisis', 9],
  ['health', 9],
  ['other', 5],
]);
const ADULTS = new Weighted<number>([
  [1, 45],
  [2, 45],
  [3, 8],
  [4, 2],
]);
const CHILDREN = new Weighted<number>([
  [0, 55],
  [1, 15],
  [2, 13],
  [3, 9],
  [4, 5],
  [5, 2],
  [6, 1],
]);
const INTERVALS = new Weighted<number>([
  [14, 15],
  [21, 15],
  [28, 45],
  [35, 10],
  [42, 15],
]);
const CONCERNS = new Weighted<VisitConcern>([
  ['tenancy', 35],
  ['economic', 30],
  ['family', 15],
  ['health', 12],
  ['other', 8],
]);
const MEDIATIONS = new Weighted<MediationKind>([
  ['landlord', 25],
  ['jobcenter', 20],
  ['landlord_negotiation', 15],
  ['debt_counselling', 12],
  ['family_help', 8],
  ['addiction_help', 4],
  ['senior_counselling', 3],
  ['sgb_xii_67', 3],
  ['other', 10],
]);
const INSTITUTIONS: Record<MediationKind, readonly (InstitutionKind | null)[]> = {
  landlord: ['private_landlord', 'housing_company'],
  jobcenter: ['jobcenter'],
  landlord_negotiation: ['housing_company', 'housing_company', 'private_landlord'],
  debt_counselling: ['counselling_service'],
  family_help: ['youth_office'],
  addiction_help: ['health_service', 'counselling_service'],
  senior_counselling: ['social_office', 'counselling_service'],
  sgb_xii_67: ['social_office'],
  other: ['utility_company', 'court', 'health_service', 'other', null],
};
const EARLY_ENDS = new Weighted<ClosingReason>([
  ['time_limit_reached', 35],
  ['unreachable', 20],
  ['consent_withdrawn', 15],
  ['transferred_to_other_aid', 15],
  ['moved_away', 10],
  ['other', 5],
]);
const AFTER_SECURED = new Weighted<ClosingReason>([
  ['moved_away', 30],
  ['transferred_to_other_aid', 25],
  ['consent_withdrawn', 20],
  ['time_limit_reached', 25],
]);

/** Most is recorded the same day; some a day or a few later. */
const recordLag = (rng: Prng): number => {
  const x = rng.next();
  return x < 0.7 ? 0 : x < 0.9 ? 1 : rng.int(2, 4);
};

const distinct = <T>(rng: Prng, from: Weighted<T>, count: number): T[] => {
  const chosen = new Set<T>();
  for (let i = 0; i < count * 3 && chosen.size < count; i++) chosen.add(from.draw(rng));
  return [...chosen];
};

const outcomeOf = (rng: Prng, group: TargetGroup): HousingOutcome => {
  const x = rng.next();
  if (group === 'prevention_aftercare') return x < 0.75 ? 'tenancy_preserved' : x < 0.95 ? 'own_tenancy_agreement' : 'other';
  return x < 0.8 ? 'own_tenancy_agreement' : x < 0.9 ? 'tenancy_preserved' : 'other';
};

const housingAtCloseOf = (rng: Prng, reason: ClosingReason, group: TargetGroup): HousingAtClose => {
  const x = rng.next();
  if (reason === 'goal_achieved') return x < 0.92 ? 'own_tenancy' : 'committed_housing';
  if (reason === 'unreachable' || reason === 'moved_away') return x < 0.6 ? 'unknown' : x < 0.85 ? 'committed_housing' : 'homeless';
  if (group === 'prevention_aftercare') return x < 0.6 ? 'own_tenancy' : x < 0.85 ? 'unknown' : 'homeless';
  return x < 0.7 ? 'committed_housing' : x < 0.9 ? 'unknown' : x < 0.95 ? 'homeless' : 'own_tenancy';
};

const plusMonths = (day: number, months: number): number => dayOf(addMonths(dateOf(day), months));

/** The referral and what follows it, as steps on recording days (some beyond the end: dropped later). */
function planSteps(rng: Prng, input: CaseInput, reserve: Reserve) {
  const { caseId, staff } = input;
  const R = input.receivedDay;
  const steps: Step[] = [];
  let seq = 0;
  const add = (day: number, performer: Performer, command: Step['command']) => steps.push({ day, seq: seq++, performer, command });

  const group = TARGET_GROUPS.draw(rng);
  const source = SOURCES.draw(rng);
  const adults = ADULTS.draw(rng);
  const children = CHILDREN.draw(rng);
  const existingAid: ExistingAid[] = rng.chance(0.03) ? [rng.pick(EXISTING_AID)] : [];
  const consentGiven = rng.chance(0.975);
  const household = input.household ?? householdOf(rng, adults, children);
  const notes = noteOf(rng, 'referral', 0.5);
  const recorder: Actor =
    source === 'fachstelle_wohnen' && rng.chance(0.5)
      ? { userId: rng.pick(staff.fachstelle), role: 'fachstelle' }
      : { userId: rng.pick(staff.caseworkers), role: 'caseworker' };
  const fachstelle: Actor = { userId: rng.pick(staff.fachstelle), role: 'fachstelle' };
  // Recorded on receipt or a few days later, at the latest on the last day: every case exists.
  const referralDay = Math.min(workday(R + recordLag(rng)), input.endDay);
  add(referralDay, 'recorder', (context) => {
    const { previousCaseId } = reserve(context, dateOf(R));
    return {
      type: 'ReceiveReferral',
      caseId,
      context,
      data: {
        householdId: input.householdId,
        receivedOn: dateOf(R),
        referralSource: source,
        targetGroup: group,
        housingSituation: SITUATIONS[group].draw(rng),
        threatCauses: distinct(rng, CAUSES, rng.int(1, 3)),
        adults,
        children,
        existingAid,
        consentGiven,
        previousCaseId,
        household,
        ...(notes === undefined ? {} : { notes }),
      },
    };
  });

  // The Fachstelle decides within days to a few weeks, and records the decision that day.
  const decisionOn = workday(R + rng.int(1, 5) + Math.floor(rng.next() ** 2 * 30));
  const decisionDay = Math.max(decisionOn, referralDay);
  const rejection: RejectionReason | null =
    existingAid.length > 0
      ? 'comparable_aid_installed'
      : !consentGiven
        ? 'declined_by_household'
        : rng.chance(0.055)
          ? new Weighted<RejectionReason>([
              ['not_target_group', 60],
              ['declined_by_household', 20],
              ['other', 20],
            ]).draw(rng)
          : null;
  if (rejection !== null) {
    const rejectionNotes = noteOf(rng, 'rejection', 0.6);
    add(decisionDay, 'fachstelle', (context) => ({
      type: 'RejectReferral',
      caseId,
      context,
      data: { rejectedOn: dateOf(decisionOn), reason: rejection, ...(rejectionNotes === undefined ? {} : { notes: rejectionNotes }) },
    }));
    return { steps, recorder, fachstelle, household };
  }

  const A = decisionOn;
  const interval = rng.chance(0.1) ? rng.int(14, 42) : INTERVALS.draw(rng);
  const P0 = rng.chance(0.85) ? plusMonths(A, 12) : plusMonths(A, rng.chance(0.67) ? 6 : 9);
  const assigned = recorder.role === 'caseworker' && rng.chance(0.7) ? recorder.userId : rng.pick(staff.caseworkers);
  add(decisionDay, 'fachstelle', (context) => ({
    type: 'ApproveReferral',
    caseId,
    context,
    data: { approvedOn: dateOf(A), assignedCaseworkerId: assigned, visitIntervalDays: interval, plannedEndOn: dateOf(P0) },
  }));

  // How the help ends: housing secured for about 60 %, goal_achieved only then (rule 4).
  const secured = rng.chance(0.6);
  const S = secured ? workday(A + rng.int(14, 40) + Math.floor(rng.next() ** 1.4 * 280)) : null;
  let reason: ClosingReason;
  let C: number;
  if (S !== null && rng.chance(0.85)) {
    reason = 'goal_achieved';
    C = S + rng.int(7, 90);
  } else {
    reason = S !== null ? AFTER_SECURED.draw(rng) : EARLY_ENDS.draw(rng);
    C = (S ?? A) + rng.int(21, 60) + Math.floor(rng.next() ** 1.5 * 250);
  }
  // Extensions (rule 2): when the help runs past its planned end, or (time limit) for a quarter.
  const extensions: { day: number; end: number }[] = [];
  let end = P0;
  const cap = plusMonths(P0, 24);
  const extend = (): boolean => {
    const next = Math.min(plusMonths(end, rng.pick([3, 6, 6, 12])), cap);
    if (next <= end) return false;
    const lastDecision = extensions.at(-1)?.day ?? decisionDay;
    extensions.push({ day: workday(Math.max(lastDecision + 1, end - rng.int(1, 28))), end: next });
    end = next;
    return true;
  };
  if (reason === 'time_limit_reached') {
    if (rng.chance(0.25)) extend();
    // Housing secured after the first planned end: the help was extended past it.
    while (S !== null && end < S + 14) if (!extend()) break;
    C = end + rng.int(0, 10);
  } else {
    while (C > end) {
      if (!extend()) {
        C = end;
        break;
      }
    }
  }
  C = workday(C);
  const closeDay = C + recordLag(rng);
  const lastDay = Math.min(C, input.endDay);
  // An activity is recorded after the approval was and before the closure is.
  const recorded = (day: number): number => Math.min(closeDay, Math.max(decisionDay, day));

  const activities: { on: number; day: number; performer: Performer; command: Step['command'] }[] = [];
  for (let d = A + rng.int(2, Math.min(interval, 14)); d <= lastDay; d += interval + rng.int(-4, 6) + (rng.chance(0.07) ? interval : 0)) {
    const on = workday(d);
    // Now and then a visit is written up only after the next one was: out of date order in the stream.
    const late = rng.chance(0.03);
    const day = recorded(on + (late ? interval + rng.int(1, 10) : recordLag(rng)));
    const met = rng.chance(0.85);
    const concerns = distinct(rng, CONCERNS, rng.int(1, 2));
    const visitNotes = noteOf(rng, 'visit', 0.55);
    activities.push({
      on,
      day,
      performer: 'caseworker',
      command: (context) => ({
        type: 'RecordHomeVisit',
        caseId,
        context,
        data: { visitedOn: dateOf(on), householdMet: met, concerns, ...(visitNotes === undefined ? {} : { notes: visitNotes }) },
      }),
    });
  }
  for (let n = rng.poisson(Math.max(0, lastDay - A) / 150); n > 0; n--) {
    const on = workday(rng.int(A, lastDay));
    const kind = MEDIATIONS.draw(rng);
    const institutionKind = rng.pick(INSTITUTIONS[kind]);
    const mediationNotes = noteOf(rng, 'mediation', 0.5);
    activities.push({
      on,
      day: recorded(on + recordLag(rng)),
      performer: 'caseworker',
      command: (context) => ({
        type: 'RecordMediation',
        caseId,
        context,
        data: { mediatedOn: dateOf(on), kind, institutionKind, ...(mediationNotes === undefined ? {} : { notes: mediationNotes }) },
      }),
    });
  }
  if (S !== null) {
    const outcome = outcomeOf(rng, group);
    activities.push({
      on: S,
      day: recorded(S + recordLag(rng)),
      performer: 'caseworker',
      command: (context) => ({
        type: 'RecordHousingSecured',
        caseId,
        context,
        data: { securedOn: dateOf(S), outcome },
      }),
    });
  }
  for (const extension of extensions) {
    const extensionReason = rng.pick(['goal_not_yet_reached', 'housing_search_ongoing', 'new_crisis', 'other'] as const);
    activities.push({
      on: extension.day,
      day: recorded(extension.day),
      performer: 'fachstelle',
      command: (context) => ({
        type: 'ExtendHelpPeriod',
        caseId,
        context,
        data: { plannedEndOn: dateOf(extension.end), reason: extensionReason },
      }),
    });
  }
  if (lastDay - A > 60 && rng.chance(0.12)) {
    const on = workday(A + rng.int(30, lastDay - A - 14));
    activities.push({
      on,
      day: recorded(on),
      performer: 'fachstelle',
      command: (context, state) => {
        const current = state.status === 'active' ? state.caseworkerId : '';
        let next = rng.pick(staff.caseworkers);
        while (next === current) next = rng.pick(staff.caseworkers);
        return { type: 'ReassignCaseworker', caseId, context, data: { caseworkerId: next } };
      },
    });
  }
  activities.sort((a, b) => a.on - b.on);
  for (const activity of activities) add(activity.day, activity.performer, activity.command);

  const closedBy: Performer = rng.chance(0.85) ? 'caseworker' : 'fachstelle';
  const housingAtClose = housingAtCloseOf(rng, reason, group);
  const closingNotes = noteOf(rng, 'closing', 0.5);
  add(closeDay, closedBy, (context) => ({
    type: 'CloseCase',
    caseId,
    context,
    data: { closedOn: dateOf(C), reason, housingAtClose, ...(closingNotes === undefined ? {} : { notes: closingNotes }) },
  }));
  return { steps, recorder, fachstelle, household };
}

/** Office hours in Cologne (06:30–16:30 UTC): the UTC date is the business date in Berlin. */
const OPENING_MS = 6.5 * 3_600_000;
const OPEN_FOR_MS = 10 * 3_600_000;

/** Plans the case, then decides its commands in recording order up to the end of the history. */
export function generateCase(rng: Prng, input: CaseInput, reserve: Reserve): CaseOutcome {
  const plan = planSteps(rng, input, reserve);
  const steps = plan.steps.filter((s) => s.day <= input.endDay).sort((a, b) => a.day - b.day || a.seq - b.seq);
  const events: DecidedEvent[] = [];
  let state: CaseState = initialCaseState();
  let at = 0;
  let closedRecordDay: number | null = null;
  let outOfOrderVisits = 0;
  let lastVisit = '';
  for (const step of steps) {
    at = Math.max(step.day * DAY_MS + OPENING_MS + Math.floor(rng.next() * OPEN_FOR_MS), at + rng.int(1_000, 60_000));
    const actor: Actor =
      step.performer === 'recorder'
        ? plan.recorder
        : step.performer === 'fachstelle'
          ? plan.fachstelle
          : { userId: state.status === 'active' ? state.caseworkerId : '', role: 'caseworker' };
    const context: CommandContext = { actor, today: dateOf(step.day), now: new Date(at).toISOString() };
    for (const event of decideCase(step.command(context, state), state)) {
      state = evolveCase(state, event);
      events.push({ event, context, at });
      if (event.type === 'CaseClosed') closedRecordDay = step.day;
      if (event.type === 'HomeVisitRecorded') {
        if (event.data.visitedOn < lastVisit) outOfOrderVisits++;
        else lastVisit = event.data.visitedOn;
      }
    }
  }
  const housingSecured = (state.status === 'active' || state.status === 'closed') && state.housingSecured;
  return { events, state, household: plan.household, closedRecordDay, housingSecured, outOfOrderVisits };
}
