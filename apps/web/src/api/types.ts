/** Answers of the HTTP API (API.md "Read model answers"), as the UI reads them. */
export type CaseStatus = 'referred' | 'active' | 'rejected' | 'closed';
export type Role = 'caseworker' | 'fachstelle' | 'evaluator' | 'admin';
export const ROLES: readonly Role[] = ['caseworker', 'fachstelle', 'evaluator', 'admin'];

export interface CommandAnswer {
  caseId: string;
  revision: number;
  position: string;
}

export type Household = { name: string; address: string; phone?: string | null } | { erased: true };

export interface CaseDetail {
  caseId: string;
  householdId: string;
  status: CaseStatus;
  revision: number;
  receivedOn: string;
  approvedOn: string | null;
  rejectedOn: string | null;
  closedOn: string | null;
  plannedEndOn: string | null;
  referralSource: string;
  targetGroup: string;
  housingSituation: string;
  adults: number;
  children: number;
  assignedCaseworkerId: string | null;
  visitIntervalDays: number | null;
  lastVisitOn: string | null;
  nextVisitDueOn: string | null;
  overdue: boolean;
  housingSecured: { securedOn: string; outcome: string } | null;
  closure: { closedOn: string; reason: string; housingAtClose: string } | null;
  counts: { visits: number; mediations: number };
  previousCaseId: string | null;
  household: Household;
}

export interface TimelineItem {
  revision: number;
  type: string;
  occurredOn: string;
  recordedAt: string;
  data: Record<string, unknown>;
}
export interface Timeline {
  caseId: string;
  items: TimelineItem[];
}

export interface CaseloadItem {
  caseId: string;
  status: CaseStatus;
  householdName: string | null;
  assignedCaseworkerId: string | null;
  receivedOn: string;
  nextVisitDueOn: string | null;
  plannedEndOn: string | null;
  overdue: boolean;
}
export interface CaseloadPage {
  items: CaseloadItem[];
  nextCursor: string | null;
}

/** A published count: a number, or what anonymisation put in its place. */
export type Count = number | '<5' | 'suppressed';
export type Breakdown = Record<string, Count>;
export interface RepeatWindow {
  eligible: Count;
  repeated: Count;
  share: number | null;
}
export interface StatisticsBlocks {
  referrals: { total: Count; bySource: Breakdown; byTargetGroup: Breakdown; withChildren: Count };
  decisions: { approved: Count; rejected: Count; rejectedByReason: Breakdown; medianDaysToDecision: number | null };
  cases: { activeAtStart: Count; activeAtEnd: Count; served: Count };
  visits: { total: Count; householdMetShare: number | null; onTimeShare: number | null };
  mediations: { total: Count; byKind: Breakdown };
  housingSecured: { total: Count; byOutcome: Breakdown };
  closures: { total: Count; byReason: Breakdown; medianDaysApprovalToClose: number | null; housingSecuredRate: number | null };
  repeatCases: Record<'6m' | '12m' | '24m', RepeatWindow>;
}
export interface Statistics extends StatisticsBlocks {
  period: { from: string; to: string };
  asOf: string;
  withChildren: StatisticsBlocks;
}

export interface ProjectionStatus {
  name: string;
  status: string;
  generation: number | null;
  checkpoint: string | null;
  head: string;
  lag: string | null;
  parked: number;
  lastError: string | null;
}
export interface RebuildStatus {
  status: 'running' | 'done' | 'failed' | 'cancelled';
  generation: number;
  done: number;
  total: number;
  rate: number;
  eta: number | null;
  error: string | null;
}
export interface ParkedEvent {
  projection: string;
  key: string;
  position: string;
  eventId: string;
  type: string;
  error: string;
  attempts: number;
  parkedAt: string;
}

export interface UiConfig {
  auth: 'dev' | 'oidc' | 'token';
  issuer: string | null;
  clientId: string | null;
  rolesClaim: string;
}
