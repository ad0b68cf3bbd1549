import { spec } from '../testing/decider-specification';
import {
  ANNA,
  APPROVED_ON,
  PLANNED_END_ON,
  TODAY,
  approveReferral,
  as,
  ctx,
  extendHelpPeriod,
  helpPeriodExtended,
  history,
  referralApproved,
  referralReceived,
  rejectReferral,
} from '../testing/case-fixtures';
import { caseDecider } from './decide';
import type { CaseEvent } from './events';
import { EXISTING_AID } from './vocabulary';

const given = (events: readonly CaseEvent[]) => spec(caseDecider).given(events);
const approved = (data: Partial<Extract<CaseEvent, { type: 'ReferralApproved' }>['data']> = {}): CaseEvent[] => [
  {
    type: 'ReferralApproved',
    data: { approvedOn: APPROVED_ON, assignedCaseworkerId: ANNA, visitIntervalDays: 28, plannedEndOn: PLANNED_END_ON, ...data },
  },
];

describe('approval (rule 2)', () => {
  it('needs the household’s consent: help is voluntary', () => {
    given([referralReceived({ consentGiven: false })])
      .when(approveReferral())
      .thenThrows('conflict', 'consent-missing');
  });

  it.each(EXISTING_AID)('is refused while comparable aid %s is installed', (aid) => {
    given([referralReceived({ existingAid: [aid] })])
      .when(approveReferral())
      .thenThrows('conflict', 'comparable-aid-installed', aid);
  });

  it('a referral with comparable aid can still be rejected for that reason', () => {
    given([referralReceived({ existingAid: ['sgb_viii'] })])
      .when(rejectReferral({ reason: 'comparable_aid_installed' }))
      .then([{ type: 'ReferralRejected', data: { rejectedOn: '2025-01-20', reason: 'comparable_aid_installed' }, personal: {} }]);
  });

  describe('visit interval', () => {
    it('defaults to 28 days', () => {
      given(history.referred)
        .when(approveReferral())
        .then(approved({ visitIntervalDays: 28 }));
    });

    it.each([7, 8, 89, 90])('accepts %i days', (visitIntervalDays) => {
      given(history.referred).when(approveReferral({ visitIntervalDays })).then(approved({ visitIntervalDays }));
    });

    it.each([6, 91, 0, -28, 7.5, Number.NaN])('refuses %p days', (visitIntervalDays) => {
      given(history.referred).when(approveReferral({ visitIntervalDays })).thenThrows('conflict', 'visit-interval-out-of-range');
    });
  });

  describe('planned end: after approval, at most 12 months after it', () => {
    it.each([
      ['the day after approval', '2025-01-21'],
      ['exactly 12 months after approval', '2026-01-20'],
    ])('accepts %s', (_what, plannedEndOn) => {
      given(history.referred).when(approveReferral({ plannedEndOn })).then(approved({ plannedEndOn }));
    });

    it.each([
      ['the approval date itself', '2025-01-20'],
      ['a date before approval', '2025-01-19'],
      ['12 months and one day after approval', '2026-01-21'],
      ['two years after approval', '2027-01-20'],
    ])('refuses %s', (_what, plannedEndOn) => {
      given(history.referred).when(approveReferral({ plannedEndOn })).thenThrows('conflict', 'planned-end-out-of-range');
    });

    // Calendar months clamp to the month's end (DOMAIN.md, repeat cases): the same arithmetic here.
    it.each([
      ['2025-01-31', '2025-01-15', '2026-01-31', '2026-02-01'],
      ['2024-02-29', '2024-02-01', '2025-02-28', '2025-03-01'],
      ['2024-08-31', '2024-08-01', '2025-08-31', '2025-09-01'],
    ])('approved on %s (received %s): latest end %s, one day more refused', (approvedOn, receivedOn, latest, dayAfter) => {
      const referred = [referralReceived({ receivedOn })];
      const context = as('fachstelle', 'user-fiona', approvedOn);
      given(referred)
        .when(approveReferral({ approvedOn, plannedEndOn: latest }, context))
        .then(approved({ approvedOn, plannedEndOn: latest }));
      given(referred)
        .when(approveReferral({ approvedOn, plannedEndOn: dayAfter }, context))
        .thenThrows('conflict', 'planned-end-out-of-range');
    });
  });
});

describe('extension (rule 2): later than the current end, ≤ 12 months each, ≤ 24 months in all', () => {
  // The active case ends on 2026-01-20 (PLANNED_END_ON); the Fachstelle extends it today.
  const extended = (plannedEndOn: string) => [helpPeriodExtended(plannedEndOn, TODAY)];

  it.each(['2026-01-21', '2026-07-20', '2027-01-20'])('accepts a new end of %s', (plannedEndOn) => {
    given(history.active).when(extendHelpPeriod({ plannedEndOn })).then(extended(plannedEndOn));
  });

  it.each([
    ['the current end itself', '2026-01-20'],
    ['a date before the current end', '2025-12-31'],
    ['more than 12 months beyond the current end', '2027-01-21'],
  ])('refuses %s', (_what, plannedEndOn) => {
    given(history.active).when(extendHelpPeriod({ plannedEndOn })).thenThrows('conflict', 'extension-out-of-range');
  });

  it('measures "later than the current end" against the end after earlier extensions', () => {
    const once = [...history.active, helpPeriodExtended('2026-09-20')];
    given(once)
      .when(extendHelpPeriod({ plannedEndOn: '2026-09-20' }))
      .thenThrows('conflict', 'extension-out-of-range');
    given(once)
      .when(extendHelpPeriod({ plannedEndOn: '2026-06-01' }))
      .thenThrows('conflict', 'extension-out-of-range');
    given(once)
      .when(extendHelpPeriod({ plannedEndOn: '2027-09-20' }))
      .then(extended('2027-09-20'));
    given(once)
      .when(extendHelpPeriod({ plannedEndOn: '2027-09-21' }))
      .thenThrows('conflict', 'extension-out-of-range');
  });

  describe('a chain of three extensions of 8 months each', () => {
    const twice = [...history.active, helpPeriodExtended('2026-09-20'), helpPeriodExtended('2027-05-20')];

    it('may reach exactly 24 months beyond the original end', () => {
      given(twice)
        .when(extendHelpPeriod({ plannedEndOn: '2028-01-20' }))
        .then(extended('2028-01-20'));
    });

    it('is refused when the third would exceed 24 months, though it is under 12 months itself', () => {
      given(twice)
        .when(extendHelpPeriod({ plannedEndOn: '2028-01-21' }))
        .thenThrows('conflict', 'extension-out-of-range');
    });
  });

  it('after two full 12-month extensions nothing more is possible', () => {
    const full = [...history.active, helpPeriodExtended('2027-01-20'), helpPeriodExtended('2028-01-20')];
    given(full)
      .when(extendHelpPeriod({ plannedEndOn: '2028-01-21' }))
      .thenThrows('conflict', 'extension-out-of-range');
  });

  it('counts the 24 months from the original planned end, not from approval + 12 months', () => {
    const shortCase = [referralReceived(), referralApproved({ plannedEndOn: '2025-07-20' })];
    const once = [...shortCase, helpPeriodExtended('2026-07-20')];
    given(once)
      .when(extendHelpPeriod({ plannedEndOn: '2027-07-20' }))
      .then(extended('2027-07-20'));
    given(once)
      .when(extendHelpPeriod({ plannedEndOn: '2027-07-21' }))
      .thenThrows('conflict', 'extension-out-of-range');
  });

  /*
   * "24 months in all" is the new end measured against the planned end set at approval, not a sum of
   * each extension's months: with month ends clamped (31 Jan + 1 month = 28 Feb) such a sum would
   * depend on how the Fachstelle split the extensions (docs/decisions/0021-help-period-limit.md).
   */
  describe('at the limits, in calendar months clamped to the month end', () => {
    it('approved on 29 Feb 2024, planned end 28 Feb 2025: two extensions reach 28 Feb 2027, not a day more', () => {
      const leap = [
        referralReceived({ receivedOn: '2024-02-01' }),
        referralApproved({ approvedOn: '2024-02-29', plannedEndOn: '2025-02-28' }),
      ];
      const once = [...leap, helpPeriodExtended('2026-02-28')];
      given(leap)
        .when(extendHelpPeriod({ plannedEndOn: '2026-02-28' }))
        .then(extended('2026-02-28'));
      given(once)
        .when(extendHelpPeriod({ plannedEndOn: '2027-02-28' }))
        .then(extended('2027-02-28'));
      given(once)
        .when(extendHelpPeriod({ plannedEndOn: '2027-03-01' }))
        .thenThrows('conflict', 'extension-out-of-range', '2027-02-28');
    });

    it('a month-end split (31 Jan → 28 Feb → 28 Feb) still leaves 24 months after the original 31 Jan end', () => {
      const monthEnd = [
        referralReceived({ receivedOn: '2024-01-15' }),
        referralApproved({ approvedOn: '2024-01-31', plannedEndOn: '2025-01-31' }),
      ];
      const twice = [...monthEnd, helpPeriodExtended('2025-02-28'), helpPeriodExtended('2026-02-28')];
      given(twice)
        .when(extendHelpPeriod({ plannedEndOn: '2027-01-31' }))
        .then(extended('2027-01-31'));
      given(twice)
        .when(extendHelpPeriod({ plannedEndOn: '2027-02-01' }))
        .thenThrows('conflict', 'extension-out-of-range', '2027-01-31');
    });

    it('never beyond 36 months after approval, even when the approval recorded a planned end beyond today’s 12 months', () => {
      // A fact recorded under another limit stays a fact; the 36 months still hold for new extensions.
      const long = [referralReceived(), referralApproved({ plannedEndOn: '2026-07-20' })];
      const once = [...long, helpPeriodExtended('2027-07-20')];
      given(long)
        .when(extendHelpPeriod({ plannedEndOn: '2027-07-20' }))
        .then(extended('2027-07-20'));
      given(once)
        .when(extendHelpPeriod({ plannedEndOn: '2028-01-20' }))
        .then(extended('2028-01-20'));
      given(once)
        .when(extendHelpPeriod({ plannedEndOn: '2028-01-21' }))
        .thenThrows('conflict', 'extension-out-of-range', /36 months after 2025-01-20/);
    });
  });

  it('dates the extension with the business date of the command context', () => {
    const context = as('fachstelle', 'user-fiona', '2025-11-03');
    given(history.active)
      .when(extendHelpPeriod({ plannedEndOn: '2026-04-20' }, context))
      .then([helpPeriodExtended('2026-04-20', '2025-11-03')]);
  });

  it('is the Fachstelle’s: the assigned caseworker may not extend', () => {
    given(history.active).when(extendHelpPeriod({}, ctx.anna)).thenThrows('forbidden', 'role-not-allowed');
  });
});
