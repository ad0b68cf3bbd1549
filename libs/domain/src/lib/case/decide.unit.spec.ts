import { spec } from '../testing/decider-specification';
import {
  ANNA,
  APPROVED_ON,
  BEN,
  CASE_ID,
  FIONA,
  HOUSEHOLD,
  HOUSEHOLD_ID,
  NOTES,
  PLANNED_END_ON,
  RECEIVED_ON,
  STATUSES,
  TODAY,
  WORDING,
  agreeHelpPlan,
  approveReferral,
  closeCase,
  ctx,
  extendHelpPeriod,
  helpPlanAgreed,
  history,
  reassignCaseworker,
  receiveReferral,
  recordHomeVisit,
  recordHousingSecured,
  recordMediation,
  referralReceived,
  rejectReferral,
  reviewGoal,
} from '../testing/case-fixtures';
import type { CaseCommand } from './commands';
import { caseDecider } from './decide';
import { businessDateOfEvent, type CaseEvent } from './events';
import type { CaseStatus } from './state';

const given = (events: readonly CaseEvent[]) => spec(caseDecider).given(events);

/** Rule 1: every command, the one state it acts in, and the event it produces there. */
const LIFECYCLE: { name: string; command: CaseCommand; allowedIn: CaseStatus; produces: CaseEvent }[] = [
  {
    name: 'ReceiveReferral',
    command: receiveReferral(),
    allowedIn: 'none',
    produces: referralReceived(),
  },
  {
    name: 'ApproveReferral',
    command: approveReferral({ visitIntervalDays: 14 }),
    allowedIn: 'referred',
    produces: {
      type: 'ReferralApproved',
      data: { approvedOn: APPROVED_ON, assignedCaseworkerId: ANNA, visitIntervalDays: 14, plannedEndOn: PLANNED_END_ON },
    },
  },
  {
    name: 'RejectReferral',
    command: rejectReferral({ rejectedOn: '2025-01-15', reason: 'declined_by_household' }),
    allowedIn: 'referred',
    produces: { type: 'ReferralRejected', data: { rejectedOn: '2025-01-15', reason: 'declined_by_household' }, personal: {} },
  },
  {
    name: 'RecordHomeVisit',
    command: recordHomeVisit({ visitedOn: '2025-02-01', householdMet: false, concerns: ['economic', 'health'] }),
    allowedIn: 'active',
    produces: {
      type: 'HomeVisitRecorded',
      data: { visitedOn: '2025-02-01', householdMet: false, concerns: ['economic', 'health'] },
      personal: {},
    },
  },
  {
    name: 'RecordMediation',
    command: recordMediation({ mediatedOn: '2025-02-02', kind: 'jobcenter', institutionKind: null }),
    allowedIn: 'active',
    produces: { type: 'HelpMediated', data: { mediatedOn: '2025-02-02', kind: 'jobcenter', institutionKind: null }, personal: {} },
  },
  {
    name: 'RecordHousingSecured',
    command: recordHousingSecured({ securedOn: '2025-03-01', outcome: 'own_tenancy_agreement' }),
    allowedIn: 'active',
    produces: { type: 'HousingSecured', data: { securedOn: '2025-03-01', outcome: 'own_tenancy_agreement' } },
  },
  {
    name: 'ExtendHelpPeriod',
    command: extendHelpPeriod({ plannedEndOn: '2026-10-20', reason: 'new_crisis' }),
    allowedIn: 'active',
    produces: { type: 'HelpPeriodExtended', data: { extendedOn: TODAY, plannedEndOn: '2026-10-20', reason: 'new_crisis' } },
  },
  {
    name: 'ReassignCaseworker',
    command: reassignCaseworker({ caseworkerId: BEN }),
    allowedIn: 'active',
    produces: { type: 'CaseworkerReassigned', data: { reassignedOn: TODAY, caseworkerId: BEN } },
  },
  {
    name: 'CloseCase',
    command: closeCase({ closedOn: '2025-06-10', reason: 'moved_away', housingAtClose: 'unknown' }),
    allowedIn: 'active',
    produces: { type: 'CaseClosed', data: { closedOn: '2025-06-10', reason: 'moved_away', housingAtClose: 'unknown' }, personal: {} },
  },
];

describe('case decider: lifecycle (rule 1)', () => {
  it('covers every command', () => {
    expect(LIFECYCLE.map((c) => c.command.type)).toEqual(LIFECYCLE.map((c) => c.name));
    expect(new Set(LIFECYCLE.map((c) => c.name)).size).toBe(9);
  });

  describe.each(LIFECYCLE)('$name', ({ command, allowedIn, produces }) => {
    it(`is accepted when the case is ${allowedIn}`, () => {
      given(history[allowedIn]).when(command).then([produces]);
    });

    const refused = STATUSES.filter((s) => s !== allowedIn && s !== 'none');
    it.each(refused)('is refused when the case is %s, with invalid-state naming that state', (status) => {
      given(history[status])
        .when(command)
        .thenThrows('conflict', 'invalid-state', new RegExp(`\\b${status}\\b`));
    });

    if (allowedIn !== 'none') {
      it('is refused on a case that does not exist with not-found', () => {
        given(history.none).when(command).thenThrows('not-found', 'case-not-found', CASE_ID);
      });
    }
  });

  it('a closure by the Fachstelle is accepted like one by the caseworker', () => {
    given(history.active)
      .when(closeCase({}, ctx.fachstelle))
      .then([
        {
          type: 'CaseClosed',
          data: { closedOn: '2025-06-10', reason: 'time_limit_reached', housingAtClose: 'committed_housing' },
          personal: {},
        },
      ]);
  });

  it('a Fachstelle decision on a referral is not bound to the caseworker who recorded it', () => {
    given([referralReceived({ recordedBy: BEN })])
      .when(approveReferral())
      .then([
        {
          type: 'ReferralApproved',
          data: { approvedOn: APPROVED_ON, assignedCaseworkerId: ANNA, visitIntervalDays: 28, plannedEndOn: PLANNED_END_ON },
        },
      ]);
  });

  it('refuses to reassign a case to the caseworker it is already assigned to', () => {
    given(history.active)
      .when(reassignCaseworker({ caseworkerId: ANNA }))
      .thenThrows('conflict', 'already-assigned');
  });
});

describe('case decider: what goes into data and what into personal', () => {
  const personalStrings = [HOUSEHOLD.name, HOUSEHOLD.address, HOUSEHOLD.phone as string, NOTES];
  const expectNoPersonalData = (data: object) => {
    const json = JSON.stringify(data);
    for (const s of personalStrings) expect(json).not.toContain(s);
    expect(data).not.toHaveProperty('notes');
    expect(data).not.toHaveProperty('household');
  };

  it('ReferralReceived: the facts in data, household and notes in personal, recordedBy = the actor', () => {
    const [event] = given([])
      .when(receiveReferral({ notes: NOTES, previousCaseId: 'case-0000' }, ctx.ben))
      .then([
        {
          type: 'ReferralReceived',
          data: {
            caseId: CASE_ID,
            householdId: HOUSEHOLD_ID,
            receivedOn: RECEIVED_ON,
            referralSource: 'social_office',
            targetGroup: 'recommitted',
            housingSituation: 'seized_flat',
            threatCauses: ['rent_arrears', 'eviction_suit'],
            adults: 2,
            children: 1,
            existingAid: [],
            consentGiven: true,
            previousCaseId: 'case-0000',
            recordedBy: BEN,
          },
          personal: { household: HOUSEHOLD, notes: NOTES },
        },
      ]);
    expectNoPersonalData(event.data);
  });

  it('ReferralReceived recorded by the Fachstelle is recorded by the Fachstelle user', () => {
    given([])
      .when(receiveReferral({}, ctx.fachstelle))
      .then([referralReceived({ recordedBy: FIONA })]);
  });

  it('a household without a phone stays without one', () => {
    const household = { name: HOUSEHOLD.name, address: HOUSEHOLD.address };
    given([])
      .when(receiveReferral({ household }))
      .then([referralReceived({}, { household })]);
  });

  it.each([
    ['RejectReferral', history.referred, rejectReferral({ notes: NOTES })],
    ['RecordHomeVisit', history.active, recordHomeVisit({ notes: NOTES })],
    ['RecordMediation', history.active, recordMediation({ notes: NOTES })],
    ['CloseCase', history.active, closeCase({ notes: NOTES })],
    ['ReviewGoal', [...history.active, helpPlanAgreed()], reviewGoal({ notes: NOTES })],
  ] as const)('%s: notes go into personal, never into data', (_name, events, command) => {
    const [event] = spec(caseDecider).given(events).when(command).then([expect.anything()]);
    expect(event).toHaveProperty('personal', { notes: NOTES });
    expectNoPersonalData(event.data);
  });
});

it("AgreeHelpPlan: the goals' wording goes into personal, never into data", () => {
  const [event] = spec(caseDecider)
    .given(history.active)
    .when(agreeHelpPlan({ notes: NOTES }))
    .then([expect.anything()]);
  expect(event).toHaveProperty('personal', { wording: WORDING, notes: NOTES });
  const json = JSON.stringify(event.data);
  for (const text of [...Object.values(WORDING), NOTES]) expect(json).not.toContain(text);
});

describe('case decider: a type this code does not know', () => {
  it('refuses an unknown command instead of returning it as events', () => {
    const unknown = { type: 'CommandOfANewerRelease', caseId: CASE_ID, context: ctx.anna, data: {} } as unknown as CaseCommand;
    expect(() => caseDecider.decide(unknown, caseDecider.initialState())).toThrow(
      new TypeError('unknown command type "CommandOfANewerRelease"'),
    );
  });

  it('refuses to fold an unknown event instead of making it the state', () => {
    const unknown = { type: 'EventOfANewerRelease', data: { on: TODAY } } as unknown as CaseEvent;
    const active = history.active.reduce(caseDecider.evolve, caseDecider.initialState());
    expect(() => caseDecider.evolve(active, unknown)).toThrow(new TypeError('unknown event type "EventOfANewerRelease"'));
    expect(() => businessDateOfEvent(unknown)).toThrow(new TypeError('unknown event type "EventOfANewerRelease"'));
  });
});
