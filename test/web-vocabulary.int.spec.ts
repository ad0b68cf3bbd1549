import * as domain from '@wih/domain';
import { LABELS_DE } from '@wih/evaluation';
// The web UI imports no lib but the vocabulary's constants (it is a browser client of the API), so
// it holds its own copy of the codes and of the month arithmetic; this test keeps the copies in
// step with the domain.
// eslint-disable-next-line @nx/enforce-module-boundaries -- comparing the browser app's copy with the domain is this test's purpose
import { CODES_DE, codesOf } from '../apps/web/src/i18n/codes.de';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { addMonths } from '../apps/web/src/forms/validate';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { ROLES } from '../apps/web/src/auth/roles';

it('labels exactly the codes of every enumeration, in the domain order', () => {
  expect({
    referralSource: codesOf('referralSource'),
    targetGroup: codesOf('targetGroup'),
    housingSituation: codesOf('housingSituation'),
    threatCause: codesOf('threatCause'),
    existingAid: codesOf('existingAid'),
    visitConcern: codesOf('visitConcern'),
    mediationKind: codesOf('mediationKind'),
    institutionKind: codesOf('institutionKind'),
    rejectionReason: codesOf('rejectionReason'),
    housingOutcome: codesOf('housingOutcome'),
    extensionReason: codesOf('extensionReason'),
    closingReason: codesOf('closingReason'),
    housingAtClose: codesOf('housingAtClose'),
    goalArea: codesOf('goalArea'),
    goalActor: codesOf('goalActor'),
    goalStatus: codesOf('goalStatus'),
    householdView: codesOf('householdView'),
    detailsChangeReason: codesOf('detailsChangeReason'),
    restrictionReason: codesOf('restrictionReason'),
    activityKind: codesOf('activityKind'),
    district: codesOf('district'),
    role: codesOf('role'),
  }).toEqual({
    referralSource: domain.REFERRAL_SOURCES,
    targetGroup: domain.TARGET_GROUPS,
    housingSituation: domain.HOUSING_SITUATIONS,
    threatCause: domain.THREAT_CAUSES,
    existingAid: domain.EXISTING_AID,
    visitConcern: domain.VISIT_CONCERNS,
    mediationKind: domain.MEDIATION_KINDS,
    institutionKind: domain.INSTITUTION_KINDS,
    rejectionReason: domain.REJECTION_REASONS,
    housingOutcome: domain.HOUSING_OUTCOMES,
    extensionReason: domain.EXTENSION_REASONS,
    closingReason: domain.CLOSING_REASONS,
    housingAtClose: domain.HOUSING_AT_CLOSE,
    goalArea: domain.GOAL_AREAS,
    goalActor: domain.GOAL_ACTORS,
    goalStatus: domain.GOAL_STATUSES,
    householdView: domain.HOUSEHOLD_VIEWS,
    detailsChangeReason: domain.DETAILS_CHANGE_REASONS,
    restrictionReason: domain.RESTRICTION_REASONS,
    activityKind: domain.ACTIVITY_KINDS,
    district: domain.DISTRICTS,
    role: domain.ROLES,
  });
  expect(ROLES).toEqual(domain.ROLES);
});

it('labels exactly the case event types, in the catalogue order', () => {
  expect(codesOf('eventType')).toEqual(domain.CASE_EVENT_TYPES);
});

it("words the report's labels like the web's, in the domain order", () => {
  // The report's label types force every code; this pins the order and that the two wordings agree.
  const lists = Object.keys(LABELS_DE.codes) as (keyof typeof LABELS_DE.codes)[];
  expect(lists.length).toBeGreaterThan(0);
  for (const list of lists) {
    expect([list, Object.keys(LABELS_DE.codes[list])]).toEqual([list, codesOf(list)]);
    expect([list, LABELS_DE.codes[list]]).toEqual([list, CODES_DE[list]]);
  }
});

it('adds months as the domain does, on every day of a leap and a common year', () => {
  const start = Date.UTC(2023, 0, 1);
  for (let day = 0; day < 730; day += 1) {
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    for (const months of [1, 6, 12, 24])
      expect([date, months, addMonths(date, months)]).toEqual([date, months, domain.addMonths(date as domain.CalendarDate, months)]);
  }
});
