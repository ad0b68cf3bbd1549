import type { Actor, ReferralInput } from '@wih/application';
import { addDays, businessDateOf, type ApproveReferral, type RecordHomeVisit } from '@wih/domain';

export const CASEWORKER: Actor = { userId: 'anna', role: 'caseworker' };
export const FACHSTELLE: Actor = { userId: 'fs-1', role: 'fachstelle' };

export interface Fixtures {
  referral(caseId: string): ReferralInput;
  readonly approval: ApproveReferral['data'];
  readonly visit: RecordHomeVisit['data'];
}

/**
 * Valid command data, dated relative to today (Europe/Berlin): the domain refuses business dates
 * in the future and visits before the approval. Built once per run, as a client would hold its
 * request bodies, so that the measured path is the server's and not the fixtures'.
 */
export const makeFixtures = (): Fixtures => {
  const today = businessDateOf(new Date());
  const daysAgo = (n: number) => addDays(today, -n);
  return {
    referral: (caseId) => ({
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
    }),
    approval: {
      approvedOn: daysAgo(50),
      assignedCaseworkerId: CASEWORKER.userId,
      visitIntervalDays: 14,
      plannedEndOn: addDays(daysAgo(50), 300),
    },
    // Yesterday, not today: the client's "today" can never run ahead of the server's.
    visit: {
      visitedOn: daysAgo(1),
      householdMet: true,
      concerns: ['tenancy'],
      notes: 'Hausbesuch: Mietrückstand besprochen, Termin beim Vermieter vereinbart.',
    },
  };
};
