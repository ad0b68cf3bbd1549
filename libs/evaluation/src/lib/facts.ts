import { isSettledGoalStatus, unknownEvent } from '@wih/domain';
import type {
  CalendarDate,
  ClosingReason,
  GoalActor,
  GoalArea,
  GoalStatus,
  HouseholdGoalView,
  ExtensionReason,
  HousingAtClose,
  HousingOutcome,
  HousingSituation,
  InstitutionKind,
  MediationKind,
  ReferralSource,
  RejectionReason,
  TargetGroup,
  ThreatCause,
  VisitConcern,
} from '@wih/domain';
import { activityFactOf, type ActivityEvaluationEvent, type ActivityFact } from './activities/activities';
import type { EvaluationEvent } from './evaluation-event';

export interface VisitFact {
  readonly visitedOn: CalendarDate;
  readonly householdMet: boolean;
  /** Each concern once, whatever the event repeated ("nach Art" counts visits per concern). */
  readonly concerns: readonly VisitConcern[];
}
export interface MediationFact {
  readonly mediatedOn: CalendarDate;
  readonly kind: MediationKind;
  /** null when the caseworker recorded none. */
  readonly institutionKind: InstitutionKind | null;
}
export interface HousingSecuredFact {
  readonly securedOn: CalendarDate;
  readonly outcome: HousingOutcome;
}
export interface ExtensionFact {
  readonly extendedOn: CalendarDate;
  readonly reason: ExtensionReason;
}

export interface ClosureFact {
  readonly closedOn: CalendarDate;
  readonly reason: ClosingReason;
  readonly housingAtClose: HousingAtClose;
}

/**
 * One goal of a help plan and where it stands: the latest review's status and household view (open
 * and not_asked before any), and the day it was achieved. A goal replaced by a later plan before
 * it was settled is gone from the facts; a settled one stays (decision 0023).
 */
export interface GoalFact {
  readonly goalId: string;
  /** The agreement of the plan that holds the goal. */
  readonly agreedOn: CalendarDate;
  readonly area: GoalArea;
  readonly actor: GoalActor;
  readonly status: GoalStatus;
  readonly householdView: HouseholdGoalView;
  readonly lastReviewedOn: CalendarDate | null;
  readonly achievedOn: CalendarDate | null;
  /** Every review of the goal in log order: the household's view at its last review in a period. */
  readonly reviews: readonly GoalReviewFact[];
}

export interface GoalReviewFact {
  readonly reviewedOn: CalendarDate;
  readonly householdView: HouseholdGoalView;
}

export interface PlanAgreementFact {
  readonly agreedOn: CalendarDate;
  readonly householdParticipated: boolean;
}
export interface HelpPlanFact {
  /** The first plan's agreement (the case has had a plan since), and the latest one's. */
  readonly firstAgreedOn: CalendarDate;
  readonly agreedOn: CalendarDate;
  readonly householdParticipated: boolean;
  /** The latest plan's goals and the settled goals of earlier plans, in the order they were agreed. */
  readonly goals: readonly GoalFact[];
  /** Every HelpPlanAgreed in log order: plans agreed in a period (decision 0029). */
  readonly agreements: readonly PlanAgreementFact[];
  /**
   * The goals a later plan replaced before they were settled, as they stood: they were agreed and
   * maybe reviewed in their period, whatever happened after it (decision 0029).
   */
  readonly replaced: readonly GoalFact[];
}

/** One case as known at `asOf`: only what metrics need, so 100k cases stay small. */
export interface CaseFacts {
  readonly caseId: string;
  readonly householdId: string;
  readonly receivedOn: CalendarDate;
  readonly referralSource: ReferralSource;
  readonly targetGroup: TargetGroup;
  readonly housingSituation: HousingSituation;
  /** Each cause once (several per referral, maybe none). */
  readonly threatCauses: readonly ThreatCause[];
  readonly adults: number;
  readonly children: number;
  /** Children at referral: the withChildren statistics are restricted to these cases. */
  readonly withChildren: boolean;
  readonly approvedOn: CalendarDate | null;
  readonly visitIntervalDays: number | null;
  readonly rejectedOn: CalendarDate | null;
  readonly rejectionReason: RejectionReason | null;
  /** Sorted by visitedOn (visits may be recorded out of date order). */
  readonly visits: readonly VisitFact[];
  readonly mediations: readonly MediationFact[];
  readonly housingSecured: HousingSecuredFact | null;
  /** In log order. */
  readonly extensions: readonly ExtensionFact[];
  readonly closure: ClosureFact | null;
  readonly previousCaseId: string | null;
  readonly helpPlan: HelpPlanFact | null;
}

/** householdId → receivedOn of every referral of that household known at `asOf` (repeat cases). */
export type HouseholdIndex = ReadonlyMap<string, readonly CalendarDate[]>;

/**
 * Some of the cases, kept by a live collector (decision 0047): every case of a household falls in
 * the same segment, and `version` changes whenever one of its cases does (a new case, a fact
 * folded in). Figures computed over a segment stay right while its version stands.
 */
export interface FactSegment {
  readonly cases: readonly CaseFacts[];
  readonly version: number;
}

export interface Facts {
  readonly cases: readonly CaseFacts[];
  readonly households: HouseholdIndex;
  /** The activities beyond single cases known at `asOf` (their own streams, no case). */
  readonly activities: readonly ActivityFact[];
  /** The same cases by household, in segments whose figures may be kept (absent: compute over `cases`). */
  readonly segments?: readonly FactSegment[];
}

export interface FactCollector {
  /** Feed events in log order; events recorded after `asOf` are ignored. */
  add(event: EvaluationEvent): void;
  /** The same for the activity streams, under the same asOf rule. */
  addActivity(event: ActivityEvaluationEvent): void;
  /** The facts so far. They are live: call it after the last `add`. */
  facts(): Facts;
  /**
   * The cases that had events folded in on both sides of an earlier instant `asOf`: the only ones
   * whose facts as of `asOf` cannot be read off the facts so far (decision 0046).
   */
  straddling(asOf: string): string[];
  /**
   * The facts as of an earlier instant, exactly those of a collection limited to `asOf` over the
   * same log: the facts so far without what was recorded after it, the `straddling` cases folded
   * again from their own events (`refold`: each such case's events in log order, all of them).
   */
  factsAsOf(asOf: string, refold: ReadonlyMap<string, readonly EvaluationEvent[]>): Facts;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type CaseRecord = Mutable<CaseFacts> & { visits: VisitFact[]; mediations: MediationFact[]; extensions: ExtensionFact[] };

/**
 * A multi-valued field as a set: a code listed twice must not count a referral or visit twice.
 * Equal sets are one shared frozen array per collector: a long log holds a few dozen distinct
 * combinations but hundreds of thousands of visits, and the garbage collector would otherwise
 * trace an array per visit for the whole replay.
 */
type Distinct = <Code extends string>(codes: readonly Code[] | undefined) => readonly Code[];
const distinctCodes = (): Distinct => {
  const shared = new Map<string, readonly string[]>();
  return <Code extends string>(codes: readonly Code[] | undefined): readonly Code[] => {
    const key = codes === undefined || codes.length === 0 ? '' : codes.length === 1 ? codes[0] : codes.join(' ');
    let set = shared.get(key);
    if (set === undefined) {
      set = Object.freeze([...new Set(codes ?? [])]);
      shared.set(key, set);
    }
    return set as readonly Code[];
  };
};

const created = (event: Extract<EvaluationEvent, { type: 'ReferralReceived' }>, distinct: Distinct): CaseRecord => {
  const { data } = event;
  return {
    caseId: event.caseId,
    householdId: data.householdId,
    receivedOn: data.receivedOn,
    referralSource: data.referralSource,
    targetGroup: data.targetGroup,
    housingSituation: data.housingSituation,
    threatCauses: distinct(data.threatCauses),
    adults: data.adults,
    children: data.children,
    withChildren: data.children > 0,
    approvedOn: null,
    visitIntervalDays: null,
    rejectedOn: null,
    rejectionReason: null,
    visits: [],
    mediations: [],
    housingSecured: null,
    extensions: [],
    closure: null,
    previousCaseId: data.previousCaseId,
    helpPlan: null,
  };
};

/**
 * Folds one later event into its case. One branch per type, so a new event type does not compile
 * until it is decided here whether a metric reads it.
 */
const evolve = (record: CaseRecord, event: EvaluationEvent, distinct: Distinct): void => {
  switch (event.type) {
    case 'ReferralReceived':
      return; // a case has one referral (collectFacts creates the record from it)
    case 'ReferralApproved':
      record.approvedOn = event.data.approvedOn;
      record.visitIntervalDays = event.data.visitIntervalDays;
      return;
    case 'ReferralRejected':
      record.rejectedOn = event.data.rejectedOn;
      record.rejectionReason = event.data.reason;
      return;
    case 'HomeVisitRecorded':
      record.visits.push({
        visitedOn: event.data.visitedOn,
        householdMet: event.data.householdMet,
        concerns: distinct(event.data.concerns),
      });
      return;
    case 'HelpMediated':
      record.mediations.push({
        mediatedOn: event.data.mediatedOn,
        kind: event.data.kind,
        institutionKind: event.data.institutionKind ?? null,
      });
      return;
    case 'HousingSecured':
      record.housingSecured = { securedOn: event.data.securedOn, outcome: event.data.outcome };
      return;
    case 'CaseClosed':
      record.closure = { closedOn: event.data.closedOn, reason: event.data.reason, housingAtClose: event.data.housingAtClose };
      return;
    case 'HelpPlanAgreed': {
      const { agreedOn, goals, householdParticipated } = event.data;
      const fresh: GoalFact[] = goals.map(({ goalId, area, actor }) => ({
        goalId,
        agreedOn,
        area,
        actor,
        status: 'open',
        householdView: 'not_asked',
        lastReviewedOn: null,
        achievedOn: null,
        reviews: [],
      }));
      const before = record.helpPlan?.goals ?? [];
      record.helpPlan = {
        firstAgreedOn: record.helpPlan?.firstAgreedOn ?? agreedOn,
        agreedOn,
        householdParticipated,
        goals: [...before.filter((goal) => isSettledGoalStatus(goal.status)), ...fresh],
        agreements: [...(record.helpPlan?.agreements ?? []), { agreedOn, householdParticipated }],
        replaced: [...(record.helpPlan?.replaced ?? []), ...before.filter((goal) => !isSettledGoalStatus(goal.status))],
      };
      return;
    }
    case 'GoalReviewed': {
      const { goalId, status, householdView, reviewedOn } = event.data;
      const plan = record.helpPlan;
      // The first goal under the id: a settled one wins over a later (refused) reuse of its id.
      const at = plan?.goals.findIndex((goal) => goal.goalId === goalId) ?? -1;
      if (plan === null || at < 0) return;
      const goals = [...plan.goals];
      goals[at] = {
        ...goals[at],
        status,
        householdView,
        lastReviewedOn: reviewedOn,
        achievedOn: status === 'achieved' ? reviewedOn : null,
        reviews: [...goals[at].reviews, { reviewedOn, householdView }],
      };
      record.helpPlan = { ...plan, goals };
      return;
    }
    case 'HelpPeriodExtended': // the new planned end is read by no metric
      record.extensions.push({ extendedOn: event.data.extendedOn, reason: event.data.reason });
      return;
    case 'CaseworkerReassigned': // no metric reads the caseworker
    case 'PersonalDataErased': // statistics keep counting after an erasure: it changes no fact
    case 'HouseholdDetailsChanged': // contact details are no statistic (and the evaluation never sees their values)
    case 'ProcessingRestricted': // a restriction changes no fact already recorded: the statistics keep counting (Art. 18(2))
    case 'RestrictionLifted':
      return;
    default:
      return unknownEvent(event);
  }
};

const instant = (iso: string, what: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not an ISO instant: ${iso}`);
  return ms;
};

const byVisitedOn = (a: VisitFact, b: VisitFact): number => (a.visitedOn < b.visitedOn ? -1 : a.visitedOn > b.visitedOn ? 1 : 0);

/**
 * A case as folded so far, with what an earlier `asOf` needs (decision 0046): the earliest and the
 * latest recordedAt of its events, and where its referral came in the log.
 */
interface CaseEntry {
  readonly record: CaseRecord;
  readonly segment: SegmentRecord;
  /** The add() that created the record: the case's place in the log order of referrals. */
  readonly seq: number;
  /** recordedAt (ms) of the referral that created the record. */
  readonly referredAt: number;
  first: number;
  last: number;
  /** A redelivered referral (rare): an earlier asOf may know the case from it only. */
  redelivered?: { readonly seq: number; readonly at: number }[];
}

type SegmentRecord = { cases: CaseRecord[]; version: number };

/**
 * Segments of a live collector. Many enough that a few writes between two answers leave most of
 * them as they were, few enough that merging their figures stays a small part of an answer
 * (measured in docs/benchmarks.md).
 */
export const FACT_SEGMENTS = 2048;

/** The segment of a household (FNV-1a of its id): all its cases in one, so repeat cases stay within it. */
const segmentIndex = (householdId: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < householdId.length; i++) hash = Math.imul(hash ^ householdId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % FACT_SEGMENTS;
};

/** One activity event as folded: the first per id counts, among those known at asOf. */
interface ActivityEntry {
  readonly id: string;
  readonly at: number;
  readonly fact: ActivityFact;
}

/** Adds a case's referral to the household index, in log order. */
const indexReferral = (households: Map<string, CalendarDate[]>, c: CaseFacts): void => {
  const dates = households.get(c.householdId);
  if (dates) dates.push(c.receivedOn);
  else households.set(c.householdId, [c.receivedOn]);
};

const householdsOf = (cases: readonly CaseFacts[]): HouseholdIndex => {
  const households = new Map<string, CalendarDate[]>();
  for (const c of cases) indexReferral(households, c);
  return households;
};

const firstPerId = (entries: readonly ActivityEntry[], limit: number): ActivityFact[] => {
  const seen = new Map<string, ActivityFact>();
  for (const { id, at, fact } of entries) if (at <= limit && !seen.has(id)) seen.set(id, fact);
  return [...seen.values()];
};

/** Collects per-case facts from the log as known at `asOf` ("what did we know then"). */
export const collectFacts = (asOf: string): FactCollector => {
  const limit = instant(asOf, 'asOf');
  const cases = new Map<string, CaseEntry>();
  const households = new Map<string, CalendarDate[]>();
  // Every activity event in log order: few; the facts take the first per id (a redelivered event
  // must not count twice), an earlier asOf the first per id among those known then.
  const activityEvents: ActivityEntry[] = [];
  const distinct = distinctCodes();
  const segments: SegmentRecord[] = Array.from({ length: FACT_SEGMENTS }, () => ({ cases: [], version: 0 }));
  // Kept live (decision 0044), facts() is read again and again: sort only what gained a visit, and
  // list the cases anew only when there are new ones.
  const unsorted = new Set<CaseRecord>();
  let listed: CaseFacts[] | null = null;
  let seq = 0;
  const sortVisits = (): void => {
    for (const record of unsorted) record.visits.sort(byVisitedOn);
    unsorted.clear();
  };
  return {
    add(event) {
      const at = instant(event.recordedAt, 'recordedAt');
      if (at > limit) return;
      seq++;
      const entry = cases.get(event.caseId);
      if (entry) {
        if (at < entry.first) entry.first = at;
        if (at > entry.last) entry.last = at;
      }
      if (event.type !== 'ReferralReceived') {
        // A case whose referral is not known at asOf is not known at all.
        if (!entry) return;
        evolve(entry.record, event, distinct);
        entry.segment.version++;
        if (event.type === 'HomeVisitRecorded') unsorted.add(entry.record);
        return;
      }
      if (entry) {
        // a redelivered referral must not count twice
        (entry.redelivered ??= []).push({ seq, at });
        return;
      }
      const fresh = created(event, distinct);
      const segment = segments[segmentIndex(fresh.householdId)];
      cases.set(event.caseId, { record: fresh, segment, seq, referredAt: at, first: at, last: at });
      segment.cases.push(fresh);
      segment.version++;
      listed = null;
      indexReferral(households, fresh);
    },
    addActivity(event) {
      const at = instant(event.recordedAt, 'recordedAt');
      if (at > limit) return;
      activityEvents.push({ id: event.data.activityId, at, fact: activityFactOf(event) });
    },
    facts() {
      sortVisits();
      listed ??= [...cases.values()].map((entry) => entry.record);
      return { cases: listed, households, activities: firstPerId(activityEvents, limit), segments };
    },
    straddling(earlier) {
      const at = instant(earlier, 'asOf');
      const ids: string[] = [];
      for (const [caseId, entry] of cases) if (entry.first <= at && entry.last > at) ids.push(caseId);
      return ids;
    },
    factsAsOf(earlier, refold) {
      const at = instant(earlier, 'asOf');
      sortVisits();
      // The straddling cases folded again under the limit, by the same code as every collection.
      const again = collectFacts(earlier);
      for (const events of refold.values()) for (const event of events) again.add(event);
      const refolded = new Map(again.facts().cases.map((c) => [c.caseId, c]));
      const known: { readonly record: CaseFacts; readonly seq: number }[] = [];
      let reordered = false;
      for (const [caseId, entry] of cases) {
        if (entry.first > at) continue; // nothing of it known then
        if (entry.last <= at) {
          known.push({ record: entry.record, seq: entry.seq });
          continue;
        }
        if (!refold.has(caseId)) throw new Error(`case ${caseId} straddles ${earlier} and was not folded again`);
        const record = refolded.get(caseId);
        if (record === undefined) continue; // its referral was recorded after asOf
        // Known then from a redelivered referral only: it takes that referral's place in the log.
        const from = entry.referredAt <= at ? entry.seq : entry.redelivered?.find((r) => r.at <= at)?.seq;
        if (from === undefined) throw new Error(`case ${caseId}: no referral known at ${earlier}`);
        reordered ||= from !== entry.seq;
        known.push({ record, seq: from });
      }
      if (reordered) known.sort((a, b) => a.seq - b.seq);
      const list = known.map((k) => k.record);
      return { cases: list, households: householdsOf(list), activities: firstPerId(activityEvents, at) };
    },
  };
};
