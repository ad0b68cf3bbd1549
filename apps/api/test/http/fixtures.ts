import { addDays, businessDateOf } from '@wih/domain';

/** Dates relative to today (Europe/Berlin), so the tests never date into the future. */
export const today = () => businessDateOf(new Date());
export const daysAgo = (n: number) => addDays(today(), -n);

export const referral = (overrides: Record<string, unknown> = {}) => ({
  receivedOn: daysAgo(60),
  referralSource: 'jobcenter',
  targetGroup: 'prevention_aftercare',
  housingSituation: 'own_tenancy_at_risk',
  threatCauses: ['rent_arrears'],
  adults: 2,
  children: 1,
  existingAid: [],
  consentGiven: true,
  household: { name: 'Familie Testfall', address: 'Teststraße 1, 50667 Köln' },
  ...overrides,
});

export const approval = (overrides: Record<string, unknown> = {}) => ({
  approvedOn: daysAgo(50),
  assignedCaseworkerId: 'anna',
  visitIntervalDays: 14,
  plannedEndOn: addDays(daysAgo(50), 300),
  ...overrides,
});

/** The command routes on an existing case (API.md "Commands"), each with a body valid on an active case. */
export const caseRoutes = () => ({
  approval: approval(),
  rejection: { rejectedOn: daysAgo(1), reason: 'other' },
  visits: { visitedOn: daysAgo(1), householdMet: true },
  mediations: { mediatedOn: daysAgo(1), kind: 'landlord' },
  'housing-secured': { securedOn: daysAgo(1), outcome: 'other' },
  extension: { plannedEndOn: addDays(approval().plannedEndOn, 30), reason: 'other' },
  reassignment: { caseworkerId: 'ben' },
  closure: { closedOn: daysAgo(1), reason: 'moved_away', housingAtClose: 'unknown' },
});

export type CaseRoute = keyof ReturnType<typeof caseRoutes>;

/** A date safely in the future in Europe/Berlin, whatever the time of day. */
export const inFuture = () => addDays(today(), 2);
