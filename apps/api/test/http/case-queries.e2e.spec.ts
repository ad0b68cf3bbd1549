import { addDays } from '@wih/domain';
import { randomUUID } from 'node:crypto';
import { approval, daysAgo } from './fixtures';
import { activeCase, createCase, expectProblem, TestApi, token, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { CASE_DETAIL_FIELDS, read } from './read-side';

/** GET /api/cases/{id} and …/timeline (API.md "Queries", "Read model answers"; DOMAIN.md rules 6 and 7). */
describe('case detail and timeline over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  const ok = async (path: string, body: object, by = users.anna) => {
    const answer = await api.post(path, by, body);
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.text}`);
    return answer;
  };
  const visit = (caseId: string, visitedOn: string, extra: object = {}) =>
    ok(`/api/cases/${caseId}/visits`, { visitedOn, householdMet: true, ...extra });

  it('answers exactly the fields of API.md, with ETag = revision', async () => {
    const household = { name: 'Familie Detail', address: 'Domstraße 5, 50668 Köln', phone: '0221 123456' };
    const { caseId, householdId } = await activeCase(api, { household, children: 3 });
    await visit(caseId, daysAgo(5));
    await visit(caseId, daysAgo(20)); // recorded later, dated earlier: the latest date counts
    await ok(`/api/cases/${caseId}/mediations`, { mediatedOn: daysAgo(4), kind: 'landlord' });
    await ok(`/api/cases/${caseId}/housing-secured`, { securedOn: daysAgo(3), outcome: 'tenancy_preserved' });

    const detail = await read(api, `/api/cases/${caseId}`, users.anna);
    expect(detail.status).toBe(200);
    expect(detail.headers.get('etag')).toBe('"5"');
    expect(Object.keys(detail.body)).toEqual(CASE_DETAIL_FIELDS);
    expect(detail.body).toEqual({
      caseId,
      householdId,
      status: 'active',
      revision: 5,
      receivedOn: daysAgo(60),
      approvedOn: daysAgo(50),
      rejectedOn: null,
      closedOn: null,
      plannedEndOn: approval().plannedEndOn,
      referralSource: 'jobcenter',
      targetGroup: 'prevention_aftercare',
      housingSituation: 'own_tenancy_at_risk',
      adults: 2,
      children: 3,
      assignedCaseworkerId: 'anna',
      visitIntervalDays: 14,
      lastVisitOn: daysAgo(5),
      nextVisitDueOn: addDays(daysAgo(5), 14),
      overdue: false,
      housingSecured: { securedOn: daysAgo(3), outcome: 'tenancy_preserved' },
      closure: null,
      counts: { visits: 2, mediations: 1 },
      previousCaseId: null,
      household,
      restricted: false,
      helpPlan: null,
      nextGoalReviewOn: null,
      goalReviewDue: false,
    });
  });

  it('shows a referral, a rejection and a closure with null where nothing is set yet', async () => {
    const referred = await createCase(api);
    expect((await read(api, `/api/cases/${referred.caseId}`, users.anna)).body).toMatchObject({
      status: 'referred',
      revision: 0,
      approvedOn: null,
      assignedCaseworkerId: null,
      visitIntervalDays: null,
      nextVisitDueOn: null,
      overdue: false,
      household: { name: 'Familie Testfall', address: 'Teststraße 1, 50667 Köln', phone: null },
    });
    const rejected = await createCase(api);
    await ok(`/api/cases/${rejected.caseId}/rejection`, { rejectedOn: daysAgo(2), reason: 'not_target_group' }, users.fachstelle);
    expect((await read(api, `/api/cases/${rejected.caseId}`, users.fachstelle)).body).toMatchObject({
      status: 'rejected',
      revision: 1,
      rejectedOn: daysAgo(2),
      approvedOn: null,
      nextVisitDueOn: null,
      overdue: false,
      closure: null,
    });
    const closed = await activeCase(api);
    await ok(`/api/cases/${closed.caseId}/closure`, { closedOn: daysAgo(1), reason: 'moved_away', housingAtClose: 'unknown' });
    const detail = await read(api, `/api/cases/${closed.caseId}`, users.fachstelle);
    expect(detail.headers.get('etag')).toBe('"2"');
    expect(detail.body).toMatchObject({
      status: 'closed',
      closedOn: daysAgo(1),
      nextVisitDueOn: null,
      overdue: false,
      closure: { closedOn: daysAgo(1), reason: 'moved_away', housingAtClose: 'unknown' },
    });
  });

  describe('overdue (rule 7), computed when asked', () => {
    it('is overdue 50 days after approval with interval 14 and no visit', async () => {
      const { caseId } = await activeCase(api, {}, { approvedOn: daysAgo(50), visitIntervalDays: 14 });
      expect((await read(api, `/api/cases/${caseId}`, users.anna)).body).toMatchObject({
        lastVisitOn: null,
        nextVisitDueOn: daysAgo(36),
        overdue: true,
      });
    });

    it('is not overdue after a recent visit: next visit due = visit + interval', async () => {
      const { caseId } = await activeCase(api, {}, { approvedOn: daysAgo(50), visitIntervalDays: 14 });
      await visit(caseId, daysAgo(3));
      expect((await read(api, `/api/cases/${caseId}`, users.anna)).body).toMatchObject({
        lastVisitOn: daysAgo(3),
        nextVisitDueOn: daysAgo(-11),
        overdue: false,
      });
    });

    it('is due, not overdue, on the due day; overdue the day after', async () => {
      const dueToday = await activeCase(api, {}, { visitIntervalDays: 14 });
      await visit(dueToday.caseId, daysAgo(14));
      const dueYesterday = await activeCase(api, {}, { visitIntervalDays: 14 });
      await visit(dueYesterday.caseId, daysAgo(15));
      expect((await read(api, `/api/cases/${dueToday.caseId}`, users.anna)).body).toMatchObject({
        nextVisitDueOn: daysAgo(0),
        overdue: false,
      });
      expect((await read(api, `/api/cases/${dueYesterday.caseId}`, users.anna)).body).toMatchObject({
        nextVisitDueOn: daysAgo(1),
        overdue: true,
      });
    });

    it('turns overdue as days pass, without any new event', async () => {
      const { caseId } = await activeCase(api, {}, { visitIntervalDays: 14 });
      await visit(caseId, daysAgo(3));
      const before = await read(api, `/api/cases/${caseId}`, users.anna);
      expect(before.body).toMatchObject({ nextVisitDueOn: daysAgo(-11), overdue: false });
      // Only Date is faked (and keeps ticking): the server's today is 12 days later.
      jest.useFakeTimers({
        now: Date.now() + 12 * 86_400_000,
        advanceTimers: true,
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      });
      try {
        const later = await api.request('GET', `/api/cases/${caseId}`, { token: token('anna', ['caseworker']) });
        expect(later.body).toMatchObject({ revision: before.body.revision, nextVisitDueOn: before.body.nextVisitDueOn, overdue: true });
      } finally {
        jest.useRealTimers();
      }
    });
  });

  it('answers 404 case-not-found for an unknown case, as the commands do, and 400 for an id that is not a UUID', async () => {
    const unknown = randomUUID();
    const detail = await api.request('GET', `/api/cases/${unknown}`, { token: users.fachstelle });
    expectProblem(detail, 404, 'case-not-found');
    expectProblem(await api.request('GET', `/api/cases/${unknown}/timeline`, { token: users.anna }), 404, 'case-not-found');
    const command = await api.post(`/api/cases/${unknown}/visits`, users.anna, { visitedOn: '2025-01-02', householdMet: true });
    expect(command.body).toEqual(detail.body);
    for (const path of ['/api/cases/not-a-uuid', '/api/cases/1234/timeline']) {
      const answer = await api.request('GET', path, { token: users.fachstelle });
      expectProblem(answer, 400, 'validation');
      expect(answer.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
    }
  });

  it('lists the case’s events in revision order as readable entries, notes included', async () => {
    const started = new Date().toISOString();
    const household = { name: 'Familie Zeitlinie', address: 'Ringstraße 2, 50667 Köln' };
    const { caseId, householdId } = await activeCase(api, { household, notes: 'Erstgespräch im Büro' });
    await visit(caseId, daysAgo(10), { concerns: ['tenancy'], notes: 'Vermieter droht mit Kündigung' });
    await ok(`/api/cases/${caseId}/mediations`, { mediatedOn: daysAgo(9), kind: 'jobcenter', notes: 'Antrag auf Mietübernahme' });
    const finished = new Date().toISOString();

    for (const reader of [users.anna, users.fachstelle]) {
      const timeline = await read(api, `/api/cases/${caseId}/timeline`, reader);
      expect(timeline.status).toBe(200);
      expect(Object.keys(timeline.body)).toEqual(['caseId', 'items']);
      expect(timeline.body.caseId).toBe(caseId);
      const items = timeline.body.items as {
        revision: number;
        type: string;
        occurredOn: string;
        recordedAt: string;
        data: Record<string, unknown>;
      }[];
      expect(items.map((i) => [i.revision, i.type, i.occurredOn])).toEqual([
        [0, 'ReferralReceived', daysAgo(60)],
        [1, 'ReferralApproved', daysAgo(50)],
        [2, 'HomeVisitRecorded', daysAgo(10)],
        [3, 'HelpMediated', daysAgo(9)],
      ]);
      for (const item of items) {
        expect(Object.keys(item).sort()).toEqual(['data', 'occurredOn', 'recordedAt', 'revision', 'type']);
        expect(item.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        expect(item.recordedAt >= started && item.recordedAt <= finished).toBe(true);
      }
      expect(items.map((i) => i.recordedAt)).toEqual([...items.map((i) => i.recordedAt)].sort());
      expect(items[0].data).toMatchObject({
        householdId,
        receivedOn: daysAgo(60),
        referralSource: 'jobcenter',
        household: { ...household, phone: null },
        notes: 'Erstgespräch im Büro',
      });
      expect(items[1].data).toMatchObject({ approvedOn: daysAgo(50), assignedCaseworkerId: 'anna', visitIntervalDays: 14 });
      expect(items[2].data).toMatchObject({
        visitedOn: daysAgo(10),
        householdMet: true,
        concerns: ['tenancy'],
        notes: 'Vermieter droht mit Kündigung',
      });
      expect(items[3].data).toMatchObject({ mediatedOn: daysAgo(9), kind: 'jobcenter', notes: 'Antrag auf Mietübernahme' });
      expect(items.some((i) => 'personal' in i.data)).toBe(false);
    }
  });

  describe('who may read (rule 6)', () => {
    const carla = token('carla', ['caseworker']);
    const routes = (caseId: string) => [`/api/cases/${caseId}`, `/api/cases/${caseId}/timeline`];
    const statuses = async (caseId: string, by: string | undefined) =>
      Promise.all(routes(caseId).map(async (path) => (await read(api, path, by)).status));

    it('lets the Fachstelle read any case, a caseworker their assigned cases, nobody else (404: as if it did not exist)', async () => {
      const bens = await activeCase(api, {}, { assignedCaseworkerId: 'ben' });
      expect(await statuses(bens.caseId, users.fachstelle)).toEqual([200, 200]);
      expect(await statuses(bens.caseId, users.ben)).toEqual([200, 200]);
      expect(await statuses(bens.caseId, carla)).toEqual([404, 404]);
      // anna recorded the referral, but after approval it is ben's case
      expect(await statuses(bens.caseId, users.anna)).toEqual([404, 404]);
      expectProblem(await read(api, `/api/cases/${bens.caseId}`, users.anna), 404, 'case-not-found');
    });

    it('lets a caseworker read a referral they recorded, before approval only', async () => {
      const { caseId } = await createCase(api, {}, users.ben);
      expect(await statuses(caseId, users.ben)).toEqual([200, 200]);
      expect(await statuses(caseId, users.anna)).toEqual([404, 404]);
      await ok(`/api/cases/${caseId}/approval`, approval({ assignedCaseworkerId: 'anna' }), users.fachstelle);
      expect(await statuses(caseId, users.ben)).toEqual([404, 404]);
      expect(await statuses(caseId, users.anna)).toEqual([200, 200]);
    });

    it('follows a reassignment', async () => {
      const { caseId } = await activeCase(api);
      await ok(`/api/cases/${caseId}/reassignment`, { caseworkerId: 'ben' }, users.fachstelle);
      expect(await statuses(caseId, users.anna)).toEqual([404, 404]);
      expect(await statuses(caseId, users.ben)).toEqual([200, 200]);
    });

    it('lets a user who is caseworker and Fachstelle read as Fachstelle, whatever the order of the roles claim', async () => {
      const bens = await activeCase(api, {}, { assignedCaseworkerId: 'ben' });
      for (const roles of [
        ['caseworker', 'fachstelle'],
        ['fachstelle', 'caseworker'],
      ]) {
        const both = token('anna', roles);
        expect(await statuses(bens.caseId, both)).toEqual([200, 200]);
        const caseload = await read(api, '/api/caseload?caseworkerId=ben&limit=200', both);
        expect(caseload.status).toBe(200);
        expect(caseload.body.items.map((i: { caseId: string }) => i.caseId)).toContain(bens.caseId);
      }
    });

    it('refuses evaluators and admins (403) and answers 401 without a token', async () => {
      const { caseId } = await activeCase(api);
      for (const by of [users.evaluator, users.admin]) {
        expect(await statuses(caseId, by)).toEqual([403, 403]);
        expectProblem(await read(api, '/api/caseload', by), 403, 'forbidden');
      }
      expect(await statuses(caseId, undefined)).toEqual([401, 401]);
      expectProblem(await api.request('GET', '/api/caseload'), 401, 'unauthorized');
    });
  });
});
