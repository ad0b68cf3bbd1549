import { encodeHouseholdEvent } from '@wih/application';
import { addDays, addMonths } from '@wih/domain';
import { randomUUID } from 'node:crypto';
import { approval, caseRoutes, daysAgo, inFuture, referral, type CaseRoute } from './fixtures';
import {
  activeCase,
  caseEvents,
  closedCase,
  createCase,
  expectNothingWritten,
  expectProblem,
  householdEvents,
  TestApi,
  users,
  type Answer,
} from './harness';
import { checkAnswersAgainstDocument } from './contract';

/** Every rule of DOMAIN.md that the domain decides, as the client sees it: status, stable code, nothing written. */
describe('domain rules over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  /** A command on `caseId` (a referral when route is null) that must be refused without writing anything. */
  async function refused(
    caseId: string | null,
    route: string | null,
    token: string,
    body: object,
    status: number,
    code: string,
  ): Promise<Answer> {
    const path = route === null ? '/api/cases' : `/api/cases/${caseId}/${route}`;
    const answer = await expectNothingWritten(api, caseId, () => api.post(path, token, body));
    expectProblem(answer, status, code);
    return answer;
  }

  const roleOf: Record<CaseRoute, string> = {
    approval: users.fachstelle,
    rejection: users.fachstelle,
    visits: users.anna,
    mediations: users.anna,
    'housing-secured': users.anna,
    extension: users.fachstelle,
    reassignment: users.fachstelle,
    closure: users.anna,
  };

  describe('invalid-state: a command outside its states names the current state', () => {
    it('refuses a visit on a referred case', async () => {
      const { caseId } = await createCase(api);
      const answer = await refused(caseId, 'visits', users.anna, caseRoutes().visits, 409, 'invalid-state');
      expect(answer.body.detail).toMatch(/\breferred\b/);
    });

    it('refuses the approval of an active case', async () => {
      const { caseId } = await activeCase(api);
      const answer = await refused(caseId, 'approval', users.fachstelle, approval(), 409, 'invalid-state');
      expect(answer.body.detail).toMatch(/\bactive\b/);
    });

    it('refuses a visit on a rejected case', async () => {
      const { caseId } = await createCase(api);
      expect((await api.post(`/api/cases/${caseId}/rejection`, users.fachstelle, caseRoutes().rejection)).status).toBe(200);
      const answer = await refused(caseId, 'visits', users.anna, caseRoutes().visits, 409, 'invalid-state');
      expect(answer.body.detail).toMatch(/\brejected\b/);
    });

    it.each(Object.keys(caseRoutes()) as CaseRoute[])('refuses %s on a closed case', async (route) => {
      const { caseId } = await closedCase(api);
      const answer = await refused(caseId, route, roleOf[route], caseRoutes()[route], 409, 'invalid-state');
      expect(answer.body.detail).toMatch(/\bclosed\b/);
    });

    it('refuses a referral that names the id of an existing case', async () => {
      const { caseId } = await createCase(api);
      await refused(caseId, null, users.anna, referral({ caseId }), 409, 'invalid-state');
    });
  });

  it.each([
    ['visits', users.anna],
    ['approval', users.fachstelle],
  ] as const)('answers 404 case-not-found for %s on an unknown case id, creating no stream', async (route, token) => {
    const unknown = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
    await refused(unknown, route, token, caseRoutes()[route], 404, 'case-not-found');
    expect(await api.store.readStream(`case-${unknown}`)).toEqual([]);
  });

  describe('approval', () => {
    it('needs consent: consent-missing', async () => {
      const { caseId } = await createCase(api, { consentGiven: false });
      await refused(caseId, 'approval', users.fachstelle, approval(), 409, 'consent-missing');
    });

    it('is blocked by comparable aid: comparable-aid-installed', async () => {
      const { caseId } = await createCase(api, { existingAid: ['sgb_viii'] });
      await refused(caseId, 'approval', users.fachstelle, approval(), 409, 'comparable-aid-installed');
    });

    it('sets a planned end after approval and at most 12 months later: planned-end-out-of-range', async () => {
      const { caseId } = await createCase(api);
      const approvedOn = daysAgo(50);
      await refused(
        caseId,
        'approval',
        users.fachstelle,
        approval({ plannedEndOn: addDays(addMonths(approvedOn, 12), 1) }),
        409,
        'planned-end-out-of-range',
      );
      await refused(caseId, 'approval', users.fachstelle, approval({ plannedEndOn: approvedOn }), 409, 'planned-end-out-of-range');
      expect(
        (await api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval({ plannedEndOn: addMonths(approvedOn, 12) }))).status,
      ).toBe(200);
    });
  });

  describe('household-has-open-case: one open case per household', () => {
    it.each(['referred', 'active'] as const)('refuses a second referral while the first is %s', async (status) => {
      const first = status === 'referred' ? await createCase(api) : await activeCase(api);
      const reservations = await householdEvents(api, first.householdId);
      await refused(null, null, users.ben, referral({ householdId: first.householdId }), 409, 'household-has-open-case');
      expect(await householdEvents(api, first.householdId)).toEqual(reservations);
    });

    it("refuses the upper-case form of an active household's id as it refuses the id itself (one canonical form, rule 5)", async () => {
      const first = await activeCase(api);
      const upper = first.householdId.toUpperCase();
      const reservations = await householdEvents(api, first.householdId);
      await refused(null, null, users.ben, referral({ householdId: upper }), 409, 'household-has-open-case');
      expect(await householdEvents(api, first.householdId)).toEqual(reservations);
      expect(await householdEvents(api, upper)).toEqual([]);
    });

    it('refuses a referral whose case id belongs to another household (invalid-state), reserving nothing on its own household', async () => {
      const other = await createCase(api);
      const household = randomUUID();
      await refused(other.caseId, null, users.anna, referral({ caseId: other.caseId, householdId: household }), 409, 'invalid-state');
      expect(await householdEvents(api, household)).toEqual([]);
      expect((await api.post('/api/cases', users.ben, referral({ householdId: household }))).status).toBe(201);
    });

    it('heals a stray reservation an earlier version left (a case id of another household): the household is free, and never linked to that case', async () => {
      const open = await createCase(api);
      const closed = await closedCase(api);
      for (const stray of [open, closed]) {
        const household = randomUUID();
        const reservation = encodeHouseholdEvent(
          { type: 'HouseholdCaseReserved', data: { householdId: household, caseId: stray.caseId, reservedAt: '2025-01-01T00:00:00.000Z' } },
          {
            commandId: randomUUID(),
            correlationId: randomUUID(),
            userId: 'ben',
            role: 'caseworker',
            recordedAt: '2025-01-01T00:00:00.000Z',
          },
        );
        await api.store.append(`household-${household}`, [reservation], 'no-stream');

        const next = await api.post('/api/cases', users.ben, referral({ householdId: household }));
        expect(next.status).toBe(201);
        const [received] = await caseEvents(api, next.body.caseId);
        expect(received.data).toMatchObject({ householdId: household, previousCaseId: null });
        expect((await householdEvents(api, household)).map((e) => [e.type, (e.data as { caseId: string }).caseId])).toEqual([
          ['HouseholdCaseReserved', stray.caseId],
          ['HouseholdReservationReleased', stray.caseId],
          ['HouseholdCaseReserved', next.body.caseId],
        ]);
      }
    });

    it('takes a case id in upper case in the path and in a referral as the same case', async () => {
      const { caseId } = await activeCase(api);
      const upper = caseId.toUpperCase();
      expect((await api.post(`/api/cases/${upper}/visits`, users.anna, caseRoutes().visits)).status).toBe(200);
      const detail = await api.request('GET', `/api/cases/${upper}?minPosition=0`, { token: users.anna });
      expect({ status: detail.status, caseId: detail.body.caseId }).toEqual({ status: 200, caseId });
      const again = await expectNothingWritten(api, caseId, () => api.post('/api/cases', users.anna, referral({ caseId: upper })));
      expect(again.status).toBe(409);
    });
  });

  describe('housing secured and closure', () => {
    it('records housing secured at most once: housing-already-secured', async () => {
      const { caseId } = await activeCase(api);
      expect(
        (await api.post(`/api/cases/${caseId}/housing-secured`, users.anna, { securedOn: daysAgo(5), outcome: 'tenancy_preserved' }))
          .status,
      ).toBe(200);
      await refused(caseId, 'housing-secured', users.anna, { securedOn: daysAgo(2), outcome: 'other' }, 409, 'housing-already-secured');
    });

    it('closes with goal_achieved only after housing secured: goal-needs-housing-secured', async () => {
      const { caseId } = await activeCase(api);
      await refused(
        caseId,
        'closure',
        users.anna,
        { closedOn: daysAgo(1), reason: 'goal_achieved', housingAtClose: 'own_tenancy' },
        409,
        'goal-needs-housing-secured',
      );
    });

    it('closes no earlier than the last activity: date-before-last-activity', async () => {
      const { caseId } = await activeCase(api);
      expect((await api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn: daysAgo(10), householdMet: true })).status).toBe(200);
      await refused(caseId, 'closure', users.anna, { ...caseRoutes().closure, closedOn: daysAgo(11) }, 409, 'date-before-last-activity');
    });

    it.each([
      ['an extension', 'extension', caseRoutes().extension],
      ['a reassignment', 'reassignment', { caseworkerId: 'ben' }],
    ] as const)(
      'closes no earlier than %s, dated the day the Fachstelle decided it: date-before-last-activity',
      async (_what, route, body) => {
        const { caseId } = await activeCase(api);
        expect((await api.post(`/api/cases/${caseId}/${route}`, users.fachstelle, body)).status).toBe(200);
        const answer = await refused(
          caseId,
          'closure',
          users.fachstelle,
          { ...caseRoutes().closure, closedOn: daysAgo(1) },
          409,
          'date-before-last-activity',
        );
        expect(answer.body.detail).toContain(daysAgo(0));
        expect(
          (await api.post(`/api/cases/${caseId}/closure`, users.fachstelle, { ...caseRoutes().closure, closedOn: daysAgo(0) })).status,
        ).toBe(200);
      },
    );
  });

  describe('business dates', () => {
    it('are never in the future: date-in-future', async () => {
      await refused(null, null, users.anna, referral({ receivedOn: inFuture() }), 409, 'date-in-future');
      const { caseId } = await activeCase(api);
      await refused(caseId, 'visits', users.anna, { visitedOn: inFuture(), householdMet: true }, 409, 'date-in-future');
      await refused(caseId, 'closure', users.anna, { ...caseRoutes().closure, closedOn: inFuture() }, 409, 'date-in-future');
    });

    it.each([
      ['approval', { ...approval(), approvedOn: daysAgo(61) }],
      ['rejection', { rejectedOn: daysAgo(61), reason: 'other' }],
    ] as const)('never precede the referral: %s is date-before-referral', async (route, body) => {
      const { caseId } = await createCase(api, { receivedOn: daysAgo(60) });
      await refused(caseId, route, users.fachstelle, body, 409, 'date-before-referral');
    });

    it("of a new referral never precede the closing of the household's previous case: 409 date-before-previous-closing", async () => {
      const closed = await closedCase(api);
      const reservations = await householdEvents(api, closed.householdId);
      const answer = await refused(
        null,
        null,
        users.anna,
        referral({ householdId: closed.householdId, receivedOn: daysAgo(2) }),
        409,
        'date-before-previous-closing',
      );
      expect(answer.body.detail).toContain(daysAgo(1));
      expect(await householdEvents(api, closed.householdId)).toEqual(reservations);
      // On the closing day itself the repeat case is accepted and linked.
      const repeat = await createCase(api, { householdId: closed.householdId, receivedOn: daysAgo(1) });
      const detail = await api.request(
        'GET',
        `/api/cases/${repeat.caseId}?minPosition=${(await api.store.headPosition('case')).toString()}`,
        { token: users.fachstelle },
      );
      expect(detail.body).toMatchObject({ receivedOn: daysAgo(1), previousCaseId: closed.caseId });
    });

    it.each([
      ['visits', { visitedOn: daysAgo(51), householdMet: false }],
      ['mediations', { mediatedOn: daysAgo(51), kind: 'jobcenter' }],
      ['housing-secured', { securedOn: daysAgo(51), outcome: 'other' }],
    ] as const)('of help lie after the approval: %s is date-before-approval', async (route, body) => {
      const { caseId } = await activeCase(api, {}, { approvedOn: daysAgo(50) });
      await refused(caseId, route, users.anna, body, 409, 'date-before-approval');
    });
  });

  describe('help period and assignment (Fachstelle)', () => {
    it('extends by at most 12 months at once and 24 in all: extension-out-of-range', async () => {
      const { caseId } = await activeCase(api);
      const end = approval().plannedEndOn;
      const extend = (plannedEndOn: string) => ({ plannedEndOn, reason: 'goal_not_yet_reached' });
      await refused(caseId, 'extension', users.fachstelle, extend(addDays(addMonths(end, 12), 1)), 409, 'extension-out-of-range');
      await refused(caseId, 'extension', users.fachstelle, extend(end), 409, 'extension-out-of-range');
      expect((await api.post(`/api/cases/${caseId}/extension`, users.fachstelle, extend(addMonths(end, 12)))).status).toBe(200);
      expect((await api.post(`/api/cases/${caseId}/extension`, users.fachstelle, extend(addMonths(end, 24)))).status).toBe(200);
      await refused(caseId, 'extension', users.fachstelle, extend(addDays(addMonths(end, 24), 1)), 409, 'extension-out-of-range');
    });

    it('reassigns only to another caseworker: already-assigned', async () => {
      const { caseId } = await activeCase(api, {}, { assignedCaseworkerId: 'anna' });
      await refused(caseId, 'reassignment', users.fachstelle, { caseworkerId: 'anna' }, 409, 'already-assigned');
    });
  });
});
