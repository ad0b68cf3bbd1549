import {
  evolveHousehold,
  householdExpiryOf,
  initialHouseholdState,
  unknownEvent,
  type CalendarDate,
  type CaseEvent,
  type HelpPlanAgreed,
  type HomeVisitRecorded,
  type HelpMediated,
  type Household,
  type HouseholdEvent,
  type ReferralReceived,
  type RetentionCase,
  type RetentionPeriods,
} from '@wih/domain';

/**
 * The household's access report (DSGVO Art. 15, § 83 SGB X; decision 0033): everything stored
 * about the household, built from its streams (personal parts opened under its key) and the access
 * log's entries for its cases. Pure: the caller reads the streams and the log.
 */

/** A read of the household's data, as the access log keeps it (ids, a role, an action, a time). */
export interface AccessReportRead {
  readonly at: string;
  readonly userId: string;
  readonly role: string;
  readonly caseId: string;
  readonly action: string;
}

export interface AccessReportInput {
  readonly householdId: string;
  /** When the report is issued (ISO instant). */
  readonly issuedAt: string;
  /** The household stream's events, in order. */
  readonly household: readonly HouseholdEvent[];
  /** The household's cases in the order it had them, each with its events (personal parts opened; null where unreadable). */
  readonly cases: readonly { readonly caseId: string; readonly events: readonly CaseEvent[] }[];
  readonly reads: readonly AccessReportRead[];
  readonly retention: RetentionPeriods;
}

export type ReportHousehold = { readonly name: string; readonly address: string; readonly phone: string | null };

/** The details as they were: as the referral sent them, then each change with its date and reason. */
export type DetailsRecord =
  | { readonly kind: 'referral'; readonly caseId: string; readonly on: CalendarDate; readonly household: ReportHousehold }
  | {
      readonly kind: 'change';
      readonly caseId: string;
      readonly on: CalendarDate;
      readonly reason: string;
      readonly household: Partial<ReportHousehold>;
    };

type Notes = string | null;
type Referral = ReferralReceived['data'];

export interface ReportGoal {
  readonly goalId: string;
  readonly area: string;
  readonly actor: string;
  readonly reviewOn: CalendarDate;
  readonly wording: string | null;
  readonly reviews: { reviewedOn: CalendarDate; status: string; householdView: string; notes: Notes }[];
}

export interface ReportCase {
  readonly caseId: string;
  readonly status: 'referred' | 'active' | 'rejected' | 'closed';
  readonly referral: {
    readonly receivedOn: CalendarDate;
    readonly referralSource: Referral['referralSource'];
    readonly targetGroup: Referral['targetGroup'];
    readonly housingSituation: Referral['housingSituation'];
    readonly threatCauses: readonly string[];
    readonly adults: number;
    readonly children: number;
    readonly existingAid: readonly string[];
    readonly consentGiven: boolean;
    readonly previousCaseId: string | null;
    readonly notes: Notes;
  };
  readonly decision:
    | {
        readonly kind: 'approved';
        readonly approvedOn: CalendarDate;
        readonly assignedCaseworkerId: string;
        readonly visitIntervalDays: number;
        readonly plannedEndOn: CalendarDate;
      }
    | { readonly kind: 'rejected'; readonly rejectedOn: CalendarDate; readonly reason: string; readonly notes: Notes }
    /** Not decided yet. */
    | { readonly kind: 'pending' };
  readonly extensions: { extendedOn: CalendarDate; plannedEndOn: CalendarDate; reason: string }[];
  readonly reassignments: { reassignedOn: CalendarDate; caseworkerId: string }[];
  readonly visits: { visitedOn: CalendarDate; householdMet: boolean; concerns: readonly string[]; notes: Notes }[];
  readonly mediations: { mediatedOn: CalendarDate; kind: string; institutionKind: string | null; notes: Notes }[];
  readonly housingSecured: { readonly securedOn: CalendarDate; readonly outcome: string } | null;
  readonly helpPlans: { agreedOn: CalendarDate; householdParticipated: boolean; notes: Notes; goals: ReportGoal[] }[];
  readonly closure: {
    readonly closedOn: CalendarDate;
    readonly reason: string;
    readonly housingAtClose: string;
    readonly notes: Notes;
  } | null;
}

/** A case whose personal data was erased: that it was, and when; nothing else. */
export interface ErasedReportCase {
  readonly caseId: string;
  readonly erasedOn: CalendarDate;
}

export interface AccessReport {
  readonly householdId: string;
  readonly issuedAt: string;
  /** Set when the household's personal data is erased: then the report holds nothing else. */
  readonly erased: { readonly erasedOn: CalendarDate } | null;
  readonly household: { readonly current: ReportHousehold | null; readonly history: readonly DetailsRecord[] } | null;
  readonly cases: readonly (ReportCase | ErasedReportCase)[];
  readonly restrictions: readonly { restrictedOn: CalendarDate; reason: string; liftedOn: CalendarDate | null }[];
  readonly reads: readonly AccessReportRead[];
  /** When the retention job erases the personal data, or null while a case is open (kept meanwhile). */
  readonly retention: { readonly erasureDueOn: CalendarDate | null; readonly openCase: boolean } | null;
}

export const isErasedCase = (c: ReportCase | ErasedReportCase): c is ErasedReportCase => 'erasedOn' in c;

const notesOf = (personal: { notes?: string } | null | undefined): Notes => personal?.notes ?? null;
const householdOf = (h: Partial<Household>): Partial<ReportHousehold> => ({
  ...(h.name !== undefined ? { name: h.name } : {}),
  ...(h.address !== undefined ? { address: h.address } : {}),
  ...(h.phone !== undefined ? { phone: h.phone } : {}),
});

interface Folded {
  readonly report: ReportCase | ErasedReportCase;
  readonly retention: RetentionCase | null;
  readonly history: DetailsRecord[];
  readonly current: ReportHousehold | null;
}

/** One case's events as the report shows them; a case with PersonalDataErased shows only that. */
function foldCase(caseId: string, events: readonly CaseEvent[]): Folded | null {
  const received = events.find((e): e is ReferralReceived => e.type === 'ReferralReceived');
  if (!received) return null;
  const erasure = events.find((e) => e.type === 'PersonalDataErased');
  const c = {
    caseId,
    status: 'referred' as ReportCase['status'],
    referral: {
      receivedOn: received.data.receivedOn,
      referralSource: received.data.referralSource,
      targetGroup: received.data.targetGroup,
      housingSituation: received.data.housingSituation,
      threatCauses: received.data.threatCauses,
      adults: received.data.adults,
      children: received.data.children,
      existingAid: received.data.existingAid,
      consentGiven: received.data.consentGiven,
      previousCaseId: received.data.previousCaseId,
      notes: notesOf(received.personal),
    },
    decision: { kind: 'pending' } as ReportCase['decision'],
    extensions: [] as ReportCase['extensions'],
    reassignments: [] as ReportCase['reassignments'],
    visits: [] as ReportCase['visits'],
    mediations: [] as ReportCase['mediations'],
    housingSecured: null as ReportCase['housingSecured'],
    helpPlans: [] as ReportCase['helpPlans'],
    closure: null as ReportCase['closure'],
  };
  const history: DetailsRecord[] = [];
  let current: ReportHousehold | null = null;
  if (received.personal?.household) {
    const { name, address, phone } = received.personal.household;
    current = { name, address, phone: phone ?? null };
    history.push({ kind: 'referral', caseId, on: received.data.receivedOn, household: current });
  }
  // The goal a review belongs to: the latest plan's goal of that id.
  const goals = new Map<string, ReportGoal>();
  for (const event of events) {
    switch (event.type) {
      case 'ReferralApproved':
        c.status = 'active';
        c.decision = { kind: 'approved', ...event.data };
        break;
      case 'ReferralRejected':
        c.status = 'rejected';
        c.decision = { kind: 'rejected', rejectedOn: event.data.rejectedOn, reason: event.data.reason, notes: notesOf(event.personal) };
        break;
      case 'HomeVisitRecorded':
        c.visits.push({ ...(event.data as HomeVisitRecorded['data']), notes: notesOf(event.personal) });
        break;
      case 'HelpMediated':
        c.mediations.push({ ...(event.data as HelpMediated['data']), notes: notesOf(event.personal) });
        break;
      case 'HousingSecured':
        c.housingSecured = { securedOn: event.data.securedOn, outcome: event.data.outcome };
        break;
      case 'HelpPeriodExtended':
        c.extensions.push({ ...event.data });
        break;
      case 'CaseworkerReassigned':
        c.reassignments.push({ ...event.data });
        break;
      case 'CaseClosed':
        c.status = 'closed';
        c.closure = { ...event.data, notes: notesOf(event.personal) };
        break;
      case 'HelpPlanAgreed': {
        const wording = (event as HelpPlanAgreed).personal?.wording ?? {};
        const planGoals = event.data.goals.map((g): ReportGoal => ({ ...g, wording: wording[g.goalId] ?? null, reviews: [] }));
        planGoals.forEach((g) => goals.set(g.goalId, g));
        c.helpPlans.push({
          agreedOn: event.data.agreedOn,
          householdParticipated: event.data.householdParticipated,
          notes: notesOf(event.personal),
          goals: planGoals,
        });
        break;
      }
      case 'GoalReviewed':
        goals.get(event.data.goalId)?.reviews.push({
          reviewedOn: event.data.reviewedOn,
          status: event.data.status,
          householdView: event.data.householdView,
          notes: notesOf(event.personal),
        });
        break;
      case 'HouseholdDetailsChanged': {
        const changed = householdOf(event.personal?.household ?? {});
        history.push({ kind: 'change', caseId, on: event.data.changedOn, reason: event.data.reason, household: changed });
        if (current) current = { ...current, ...changed };
        break;
      }
      // Shown on the household (its restriction periods, its erasure), not per case.
      case 'ReferralReceived':
      case 'ProcessingRestricted':
      case 'RestrictionLifted':
      case 'PersonalDataErased':
        break;
      default:
        unknownEvent(event);
    }
  }
  const retention: RetentionCase = {
    caseId,
    householdId: received.data.householdId,
    receivedOn: received.data.receivedOn,
    rejectedOn: c.decision.kind === 'rejected' ? c.decision.rejectedOn : null,
    closure: c.closure ? { closedOn: c.closure.closedOn } : null,
  };
  if (erasure) return { report: { caseId, erasedOn: erasure.data.erasedOn }, retention, history: [], current: null };
  return { report: c, retention, history, current };
}

/** The report; after the household's erasure only that it was erased, and when. */
export function accessReport(input: AccessReportInput): AccessReport {
  // The household's own fold: a household that came back after its erasure is readable again (its new case).
  const erasedOn = input.household.reduce(evolveHousehold, initialHouseholdState()).erasedOn ?? null;
  const restrictions: { restrictedOn: CalendarDate; reason: string; liftedOn: CalendarDate | null }[] = [];
  for (const event of input.household) {
    if (event.type === 'ProcessingRestricted')
      restrictions.push({ restrictedOn: event.data.restrictedOn, reason: event.data.reason, liftedOn: null });
    const open = restrictions.at(-1);
    if (event.type === 'RestrictionLifted' && open && open.liftedOn === null) open.liftedOn = event.data.liftedOn;
  }
  const base = { householdId: input.householdId, issuedAt: input.issuedAt };
  if (erasedOn !== null) return { ...base, erased: { erasedOn }, household: null, cases: [], restrictions: [], reads: [], retention: null };

  const folded = input.cases.map(({ caseId, events }) => foldCase(caseId, events)).filter((f): f is Folded => f !== null);
  const readable = new Set(folded.filter((f) => !isErasedCase(f.report)).map((f) => f.report.caseId));
  const retentionCases = folded.map((f) => f.retention).filter((r): r is RetentionCase => r !== null);
  const due = householdExpiryOf(retentionCases, input.retention);
  const reads = input.reads
    .filter((read) => readable.has(read.caseId))
    .map(({ at, userId, role, caseId, action }) => ({ at, userId, role, caseId, action }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    ...base,
    erased: null,
    household: {
      // The latest case's details are the current ones (a repeat case starts with what its referral sent).
      current:
        folded
          .map((f) => f.current)
          .filter((h): h is ReportHousehold => h !== null)
          .at(-1) ?? null,
      history: folded.flatMap((f) => f.history),
    },
    cases: folded.map((f) => f.report),
    restrictions,
    reads,
    retention: { erasureDueOn: due, openCase: due === null && retentionCases.length > 0 },
  };
}
