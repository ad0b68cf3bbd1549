import { addDays, addMonths } from '../dates';
import { spec } from '../testing/decider-specification';
import {
  APPROVED_ON,
  BEN,
  HOUSEHOLD_ID,
  RECEIVED_ON,
  TODAY,
  approveReferral,
  as,
  caseworkerReassigned,
  agreeHelpPlan,
  closeCase,
  ctx,
  goalReviewed,
  helpMediated,
  helpPlanAgreed,
  helpPeriodExtended,
  history,
  homeVisitRecorded,
  housingSecured,
  receiveReferral,
  recordHomeVisit,
  recordHousingSecured,
  recordMediation,
  rejectReferral,
  reviewGoal,
} from '../testing/case-fixtures';
import type { CaseCommand } from './commands';
import { caseDecider } from './decide';
import { businessDateOfEvent, type CaseEvent, type CaseEventType } from './events';

const given = (events: readonly CaseEvent[]) => spec(caseDecider).given(events);
const DAY_BEFORE_REFERRAL = addDays(RECEIVED_ON, -1);
const DAY_BEFORE_APPROVAL = addDays(APPROVED_ON, -1);
/** A plan agreed on `on` whose goals are due for review that day (a review date is never before the plan). */
const planOn = (on: string, today = TODAY) =>
  agreeHelpPlan(
    { agreedOn: on, goals: agreeHelpPlan().data.goals.map((goal) => ({ ...goal, reviewOn: on })) },
    as('caseworker', 'user-anna', today),
  );
const withPlan = [...history.active, helpPlanAgreed({ agreedOn: APPROVED_ON })];
/** Facts that open or end a case, or only make its personal data unreadable. */
type NotBusinessOfTheHelp =
  | 'ReferralReceived'
  | 'ReferralApproved'
  | 'ReferralRejected'
  | 'CaseClosed'
  | 'HouseholdDetailsChanged'
  | 'ProcessingRestricted'
  | 'RestrictionLifted'
  | 'PersonalDataErased';

/** Every command that carries a business date, the state it acts in, and how to date it. */
const DATED: [string, readonly CaseEvent[], (on: string, today?: string) => CaseCommand][] = [
  ['ReceiveReferral', history.none, (on, today = TODAY) => receiveReferral({ receivedOn: on }, as('caseworker', 'user-anna', today))],
  [
    'ApproveReferral',
    history.referred,
    (on, today = TODAY) => approveReferral({ approvedOn: on, plannedEndOn: addMonths(on, 12) }, as('fachstelle', 'user-fiona', today)),
  ],
  ['RejectReferral', history.referred, (on, today = TODAY) => rejectReferral({ rejectedOn: on }, as('fachstelle', 'user-fiona', today))],
  ['RecordHomeVisit', history.active, (on, today = TODAY) => recordHomeVisit({ visitedOn: on }, as('caseworker', 'user-anna', today))],
  ['RecordMediation', history.active, (on, today = TODAY) => recordMediation({ mediatedOn: on }, as('caseworker', 'user-anna', today))],
  [
    'RecordHousingSecured',
    history.active,
    (on, today = TODAY) => recordHousingSecured({ securedOn: on }, as('caseworker', 'user-anna', today)),
  ],
  ['CloseCase', history.active, (on, today = TODAY) => closeCase({ closedOn: on }, as('caseworker', 'user-anna', today))],
  ['AgreeHelpPlan', history.active, planOn],
  ['ReviewGoal', withPlan, (on, today = TODAY) => reviewGoal({ reviewedOn: on }, as('caseworker', 'user-anna', today))],
];

describe('business dates (rule 3)', () => {
  describe.each(DATED)('%s', (_name, events, dated) => {
    it('is refused with date-in-future for tomorrow', () => {
      given(events)
        .when(dated(addDays(TODAY, 1)))
        .thenThrows('conflict', 'date-in-future', TODAY);
    });

    it('is refused with date-in-future for a date a year ahead', () => {
      given(events)
        .when(dated(addMonths(TODAY, 12)))
        .thenThrows('conflict', 'date-in-future');
    });

    it('accepts today itself, and the event carries that date', () => {
      const [event] = given(events).when(dated(TODAY)).then([expect.anything()]);
      expect(businessDateOfEvent(event)).toBe(TODAY);
    });

    it('takes "today" only from the command context, never from the system clock', () => {
      try {
        jest.useFakeTimers({ now: new Date('2040-01-01T12:00:00Z') });
        given(events).when(dated('2025-06-16', '2025-06-15')).thenThrows('conflict', 'date-in-future');
        jest.setSystemTime(new Date('2001-01-01T12:00:00Z'));
        given(events).when(dated('2025-06-16', '2025-06-16')).then([expect.anything()]);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe.each([
    ['ApproveReferral', (on: string) => approveReferral({ approvedOn: on, plannedEndOn: addMonths(on, 12) })],
    ['RejectReferral', (on: string) => rejectReferral({ rejectedOn: on })],
  ])('%s: never before the referral', (_name, dated) => {
    it('is refused with date-before-referral the day before', () => {
      given(history.referred).when(dated(DAY_BEFORE_REFERRAL)).thenThrows('conflict', 'date-before-referral', RECEIVED_ON);
    });
    it('accepts the day of the referral', () => {
      given(history.referred).when(dated(RECEIVED_ON)).then([expect.anything()]);
    });
  });

  describe.each([
    ['RecordHomeVisit', (on: string) => recordHomeVisit({ visitedOn: on })],
    ['RecordMediation', (on: string) => recordMediation({ mediatedOn: on })],
    ['RecordHousingSecured', (on: string) => recordHousingSecured({ securedOn: on })],
    ['AgreeHelpPlan', (on: string) => planOn(on)],
  ])('%s: not before the approval', (_name, dated) => {
    it('is refused with date-before-approval the day before approval', () => {
      given(history.active).when(dated(DAY_BEFORE_APPROVAL)).thenThrows('conflict', 'date-before-approval', APPROVED_ON);
    });
    it('is refused with date-before-approval for a date before the referral, too', () => {
      given(history.active).when(dated(DAY_BEFORE_REFERRAL)).thenThrows('conflict', 'date-before-approval');
    });
    it('accepts the day of approval', () => {
      given(history.active).when(dated(APPROVED_ON)).then([expect.anything()]);
    });
  });

  describe('CloseCase: not before the approval or the last recorded activity', () => {
    it('is refused before the approval', () => {
      given(history.active)
        .when(closeCase({ closedOn: DAY_BEFORE_APPROVAL }))
        .thenThrows('conflict', 'date-before-last-activity');
    });

    it('accepts the day of approval when nothing happened since', () => {
      given(history.active)
        .when(closeCase({ closedOn: APPROVED_ON }))
        .then([expect.anything()]);
    });

    /**
     * Every fact an active case records besides its closing and an erasure, dated by its business
     * date. Typed over the event types, so a new kind of fact (a goal review) cannot be left out.
     */
    const RECORDED_ON_ACTIVE_CASE: Record<Exclude<CaseEventType, NotBusinessOfTheHelp>, (on: string) => CaseEvent> = {
      HomeVisitRecorded: (on) => homeVisitRecorded(on),
      HelpMediated: (on) => helpMediated(on),
      HousingSecured: (on) => housingSecured(on),
      HelpPeriodExtended: (on) => helpPeriodExtended('2026-07-20', on),
      CaseworkerReassigned: (on) => caseworkerReassigned(BEN, on),
      HelpPlanAgreed: (on) => helpPlanAgreed({ agreedOn: on }),
      GoalReviewed: (on) => goalReviewed(on),
    };

    it.each(Object.entries(RECORDED_ON_ACTIVE_CASE))('is refused before %s, accepted on its day', (_type, recorded) => {
      const events = [...history.active, recorded('2025-06-01')];
      const closing = (closedOn: string) => closeCase({ closedOn }, ctx.fachstelle);
      given(events).when(closing('2025-05-31')).thenThrows('conflict', 'date-before-last-activity', '2025-06-01');
      given(events).when(closing('2025-06-01')).then([expect.anything()]);
    });

    it('is refused before an extension decided after the last visit, although the visit alone would allow it', () => {
      const events = [...history.active, homeVisitRecorded('2025-05-02'), helpPeriodExtended('2026-07-20', '2025-06-12')];
      given(events)
        .when(closeCase({ closedOn: '2025-06-11' }, ctx.fachstelle))
        .thenThrows('conflict', 'date-before-last-activity', '2025-06-12');
      given(events)
        .when(closeCase({ closedOn: '2025-06-12' }, ctx.fachstelle))
        .then([expect.anything()]);
    });

    it('is refused before a reassignment, also when the new caseworker closes', () => {
      const events = [...history.active, caseworkerReassigned(BEN, '2025-06-12')];
      given(events)
        .when(closeCase({ closedOn: '2025-06-11' }, ctx.ben))
        .thenThrows('conflict', 'date-before-last-activity', '2025-06-12');
      given(events)
        .when(closeCase({ closedOn: '2025-06-12' }, ctx.ben))
        .then([expect.anything()]);
    });

    it('is not held back by an erasure: erasing personal data is no business of the help', () => {
      const events = [
        ...history.active,
        { type: 'PersonalDataErased', data: { householdId: HOUSEHOLD_ID, erasedOn: '2025-06-12' } } as const,
      ];
      given(events)
        .when(closeCase({ closedOn: '2025-06-10' }, ctx.fachstelle))
        .then([expect.anything()]);
    });

    it('takes the latest activity even when activities were recorded out of date order', () => {
      const events = [...history.active, homeVisitRecorded('2025-06-01'), helpMediated('2025-03-01'), homeVisitRecorded('2025-02-01')];
      given(events)
        .when(closeCase({ closedOn: '2025-05-01' }))
        .thenThrows('conflict', 'date-before-last-activity');
      given(events)
        .when(closeCase({ closedOn: '2025-06-01', reason: 'unreachable' }, ctx.fachstelle))
        .then([
          {
            type: 'CaseClosed',
            data: { closedOn: '2025-06-01', reason: 'unreachable', housingAtClose: 'committed_housing' },
            personal: {},
          },
        ]);
    });

    it('checks the future before the last activity', () => {
      const events = [...history.active, homeVisitRecorded(TODAY)];
      given(events)
        .when(closeCase({ closedOn: addDays(TODAY, 1) }))
        .thenThrows('conflict', 'date-in-future');
    });
  });
});
