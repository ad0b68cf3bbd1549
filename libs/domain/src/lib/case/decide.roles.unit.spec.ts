import type { CommandContext, Role } from '../decider';
import { ROLES } from '../decider';
import { spec } from '../testing/decider-specification';
import {
  ANNA,
  APPROVED_ON,
  BEN,
  FIONA,
  PLANNED_END_ON,
  TODAY,
  agreeHelpPlan,
  approveReferral,
  as,
  caseworkerReassigned,
  closeCase,
  ctx,
  extendHelpPeriod,
  goalReviewed,
  helpPlanAgreed,
  history,
  reassignCaseworker,
  receiveReferral,
  recordHomeVisit,
  recordHousingSecured,
  recordMediation,
  referralApproved,
  referralReceived,
  rejectReferral,
  reviewGoal,
} from '../testing/case-fixtures';
import type { CaseCommand } from './commands';
import { caseDecider, decideCase } from './decide';
import type { CaseEvent } from './events';
import type { DomainError } from '../errors';
import { evolveCase, initialCaseState } from './state';

const given = (events: readonly CaseEvent[]) => spec(caseDecider).given(events);

/** The acting user of each role; the caseworker is Anna, who recorded the referral and is assigned. */
const ACTOR: Record<Role, CommandContext> = {
  caseworker: ctx.anna,
  fachstelle: ctx.fachstelle,
  evaluator: ctx.evaluator,
  admin: ctx.admin,
};

const visit: CaseEvent = {
  type: 'HomeVisitRecorded',
  data: { visitedOn: '2025-06-01', householdMet: true, concerns: ['tenancy'] },
  personal: {},
};
const mediation: CaseEvent = {
  type: 'HelpMediated',
  data: { mediatedOn: '2025-06-02', kind: 'landlord', institutionKind: 'housing_company' },
  personal: {},
};
const secured: CaseEvent = { type: 'HousingSecured', data: { securedOn: '2025-06-03', outcome: 'tenancy_preserved' } };
const closed: CaseEvent = {
  type: 'CaseClosed',
  data: { closedOn: '2025-06-10', reason: 'time_limit_reached', housingAtClose: 'committed_housing' },
  personal: {},
};

/** Rule 6 as DOMAIN.md's role table and API.md's routes state it, written out here independently of COMMAND_ROLES. */
const ROLE_TABLE: [string, readonly CaseEvent[], (c: CommandContext) => CaseCommand, Role[], (c: CommandContext) => CaseEvent][] = [
  [
    'ReceiveReferral',
    history.none,
    (c) => receiveReferral({}, c),
    ['caseworker', 'fachstelle'],
    (c) => referralReceived({ recordedBy: c.actor.userId }),
  ],
  ['ApproveReferral', history.referred, (c) => approveReferral({}, c), ['fachstelle'], () => referralApproved()],
  [
    'RejectReferral',
    history.referred,
    (c) => rejectReferral({}, c),
    ['fachstelle'],
    () => ({ type: 'ReferralRejected', data: { rejectedOn: '2025-01-20', reason: 'not_target_group' }, personal: {} }),
  ],
  ['RecordHomeVisit', history.active, (c) => recordHomeVisit({}, c), ['caseworker'], () => visit],
  ['RecordMediation', history.active, (c) => recordMediation({}, c), ['caseworker'], () => mediation],
  ['RecordHousingSecured', history.active, (c) => recordHousingSecured({}, c), ['caseworker'], () => secured],
  [
    'ExtendHelpPeriod',
    history.active,
    (c) => extendHelpPeriod({}, c),
    ['fachstelle'],
    () => ({ type: 'HelpPeriodExtended', data: { extendedOn: TODAY, plannedEndOn: '2026-07-20', reason: 'housing_search_ongoing' } }),
  ],
  [
    'ReassignCaseworker',
    history.active,
    (c) => reassignCaseworker({}, c),
    ['fachstelle'],
    () => ({ type: 'CaseworkerReassigned', data: { reassignedOn: TODAY, caseworkerId: BEN } }),
  ],
  ['CloseCase', history.active, (c) => closeCase({}, c), ['caseworker', 'fachstelle'], () => closed],
  ['AgreeHelpPlan', history.active, (c) => agreeHelpPlan({}, c), ['caseworker'], () => helpPlanAgreed()],
  ['ReviewGoal', [...history.active, helpPlanAgreed()], (c) => reviewGoal({}, c), ['caseworker'], () => goalReviewed('2025-03-01')],
];

describe('roles (rule 6)', () => {
  describe.each(ROLE_TABLE)('%s', (_name, events, command, allowed, produces) => {
    it.each(ROLES.filter((r) => allowed.includes(r)))('is allowed to %s', (role) => {
      given(events)
        .when(command(ACTOR[role]))
        .then([produces(ACTOR[role])]);
    });
    it.each(ROLES.filter((r) => !allowed.includes(r)))('is forbidden to %s (role-not-allowed)', (role) => {
      given(events).when(command(ACTOR[role])).thenThrows('forbidden', 'role-not-allowed', role);
    });
  });

  it('checks the role before the case exists: an evaluator gets forbidden, not not-found', () => {
    given(history.none).when(recordHomeVisit({}, ctx.evaluator)).thenThrows('forbidden', 'role-not-allowed');
  });
});

describe('caseload (rule 6): a caseworker acts only on their own cases', () => {
  const caseworkerCommands: [string, (c: CommandContext) => CaseCommand, CaseEvent][] = [
    ['RecordHomeVisit', (c) => recordHomeVisit({}, c), visit],
    ['RecordMediation', (c) => recordMediation({}, c), mediation],
    ['RecordHousingSecured', (c) => recordHousingSecured({}, c), secured],
    ['CloseCase', (c) => closeCase({}, c), closed],
    [
      'AgreeHelpPlan',
      (c) => agreeHelpPlan({ agreedOn: '2025-06-01', goals: [{ ...agreeHelpPlan().data.goals[0], reviewOn: '2025-07-01' }] }, c),
      {
        ...helpPlanAgreed({ agreedOn: '2025-06-01', goals: [{ ...helpPlanAgreed().data.goals[0], reviewOn: '2025-07-01' }] }),
        personal: { wording: { [agreeHelpPlan().data.goals[0].goalId]: agreeHelpPlan().data.goals[0].wording } },
      },
    ],
  ];
  // Reassigned before the commands' business dates: a closing may not precede a reassignment (rule 3).
  const reassignedToBen = [...history.active, caseworkerReassigned(BEN, '2025-05-01')];

  describe.each(caseworkerCommands)('%s', (_name, command, produces) => {
    it('is refused to another caseworker on an active case as if the case did not exist', () => {
      given(history.active).when(command(ctx.ben)).thenThrows('not-found', 'case-not-found');
    });

    it('after reassignment the new caseworker may act', () => {
      given(reassignedToBen).when(command(ctx.ben)).then([produces]);
    });

    it('after reassignment the old caseworker may not', () => {
      given(reassignedToBen).when(command(ctx.anna)).thenThrows('not-found', 'case-not-found');
    });

    it('follows the assignment back and forth', () => {
      const back = [...reassignedToBen, caseworkerReassigned(ANNA, '2025-05-15')];
      given(back).when(command(ctx.anna)).then([produces]);
      given(back).when(command(ctx.ben)).thenThrows('not-found', 'case-not-found');
    });

    it('at approval the case belongs to the assigned caseworker, not to the one who recorded the referral', () => {
      const events = [referralReceived({ recordedBy: ANNA }), referralApproved({ assignedCaseworkerId: BEN })];
      given(events).when(command(ctx.ben)).then([produces]);
      given(events).when(command(ctx.anna)).thenThrows('not-found', 'case-not-found');
    });

    it('a caseworker on a case that does not exist gets not-found, not forbidden', () => {
      given(history.none).when(command(ctx.ben)).thenThrows('not-found', 'case-not-found');
    });

    it('tells another caseworker nothing: the same error as for a case that does not exist', () => {
      const refusal = (events: readonly CaseEvent[]) => {
        try {
          decideCase(command(ctx.ben), events.reduce(evolveCase, initialCaseState()));
        } catch (error) {
          return { ...(error as DomainError), message: (error as DomainError).message };
        }
        return undefined;
      };
      expect(refusal(history.active)).toEqual(refusal(history.none));
      expect(refusal(history.active)).toBeDefined();
    });
  });

  it('before approval a referral belongs to the caseworker who recorded it', () => {
    given(history.referred).when(closeCase({}, ctx.ben)).thenThrows('not-found', 'case-not-found');
    given(history.referred).when(closeCase({}, ctx.anna)).thenThrows('conflict', 'invalid-state', 'referred');
  });

  it('any caseworker may record a new referral', () => {
    given(history.none)
      .when(receiveReferral({}, ctx.ben))
      .then([referralReceived({ recordedBy: BEN })]);
  });

  describe('the Fachstelle may act on any case, whoever recorded or holds it', () => {
    const recordedByBen = [referralReceived({ recordedBy: BEN })];
    const heldByBen = [referralReceived({ recordedBy: BEN }), referralApproved({ assignedCaseworkerId: BEN })];
    const fiona = as('fachstelle', FIONA);

    it('approves and rejects', () => {
      given(recordedByBen)
        .when(approveReferral({ assignedCaseworkerId: ANNA }, fiona))
        .then([
          {
            type: 'ReferralApproved',
            data: { approvedOn: APPROVED_ON, assignedCaseworkerId: ANNA, visitIntervalDays: 28, plannedEndOn: PLANNED_END_ON },
          },
        ]);
      given(recordedByBen)
        .when(rejectReferral({}, fiona))
        .then([expect.objectContaining({ type: 'ReferralRejected' })]);
    });

    it('extends, reassigns and closes', () => {
      given(heldByBen)
        .when(extendHelpPeriod({}, fiona))
        .then([expect.objectContaining({ type: 'HelpPeriodExtended' })]);
      given(heldByBen)
        .when(reassignCaseworker({ caseworkerId: ANNA }, fiona))
        .then([{ type: 'CaseworkerReassigned', data: { reassignedOn: TODAY, caseworkerId: ANNA } }]);
      given(heldByBen).when(closeCase({}, fiona)).then([closed]);
    });
  });
});
