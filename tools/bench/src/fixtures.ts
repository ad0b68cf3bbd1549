import type { Actor, ReferralInput } from '@wih/application';
import { addDays, businessDateOf, type ApproveReferral, type RecordHomeVisit } from '@wih/domain';

/**
 * Valid commands for the benchmark. Dates are relative to today (Europe/Berlin) because the
 * domain refuses business dates in the future and visits before the approval.
 */
const today = () => businessDateOf(new Date());
const daysAgo = (n: number) => addDays(today(), -n);

export const CASEWORKER: Actor = { userId: 'anna', role: 'caseworker' };
export const FACHSTELLE: Actor = { userId: 'fs-1', role: 'fachstelle' };

export const referral = (caseId: string): ReferralInput => ({
  caseId,
  receivedOn: daysAgo(60),
  referralSource: 'jobcenter',
  targetGroup: 'prevention_aftercare',
  housingSituation: 'own_tenancy_at_risk',
  threatCauses: ['rent_arrears'],
  adults: 2,
  children: 1,
  existingAid: [],
  consentGiven: true,
  household: { name: 'Familie Benchmark', address: 'Teststraße 1, 50667 Köln' },
});

export const approval = (): ApproveReferral['data'] => ({
  approvedOn: daysAgo(50),
  assignedCaseworkerId: CASEWORKER.userId,
  visitIntervalDays: 14,
  plannedEndOn: addDays(daysAgo(50), 300),
});

// Yesterday, not today: the client's "today" can never run ahead of the server's.
export const visit = (): RecordHomeVisit['data'] => ({
  visitedOn: daysAgo(1),
  householdMet: true,
  concerns: ['tenancy'],
  notes: 'Hausbesuch: Mietrückstand besprochen, Termin beim Vermieter vereinbart.',
});
