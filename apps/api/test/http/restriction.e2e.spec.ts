import { checkAnswersAgainstDocument } from './contract';
import { caseRoutes, inFuture, referral, today } from './fixtures';
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

/** API.md: POST|DELETE /api/households/{householdId}/restriction (fachstelle); decision 0030. */

const NAME = 'Familie Sperrvermerk';
const ADDRESS = 'Streitgasse 5, 50667 Köln';
const NOTE = 'Notiz-Strittig-4711';

async function read(api: TestApi, path: string, token: string): Promise<Answer> {
  const position = (await api.store.headPosition('case')).toString();
  return api.request('GET', `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`, { token });
}

const restrict = (
  api: TestApi,
  householdId: string,
  token = users.fachstelle,
  body: object = { restrictedOn: today(), reason: 'accuracy_contested' },
) => api.post(`/api/households/${householdId}/restriction`, token, body);
const lift = (api: TestApi, householdId: string, token = users.fachstelle) =>
  api.request('DELETE', `/api/households/${householdId}/restriction`, { token });

describe("restricting the processing of a household's data", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  it('records it on the household stream and each of its cases; a repeat appends nothing', async () => {
    const { caseId, householdId } = await activeCase(api);
    const answer = await restrict(api, householdId);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ householdId, position: expect.stringMatching(/^\d+$/) });
    expect((await householdEvents(api, householdId)).at(-1)?.type).toBe('ProcessingRestricted');
    expect((await caseEvents(api, caseId)).at(-1)?.data).toMatchObject({
      householdId,
      restrictedOn: today(),
      reason: 'accuracy_contested',
    });
    await expectNothingWritten(api, caseId, () => restrict(api, householdId));
  });

  it('shows the personal data to the Fachstelle only: caseworkers see the case without it, marked restricted', async () => {
    const { caseId, householdId } = await activeCase(api, { household: { name: NAME, address: ADDRESS }, notes: NOTE });
    expect((await api.post(`/api/cases/${caseId}/visits`, users.anna, { ...caseRoutes().visits, notes: NOTE })).status).toBe(200);
    const goal = { area: 'rent_and_debts', actor: 'together', reviewOn: inFuture(), wording: 'Strittig: Raten mit der Vermieterin' };
    const planned = await api.post(`/api/cases/${caseId}/help-plan`, users.anna, {
      agreedOn: today(),
      householdParticipated: true,
      goals: [goal],
    });
    expect(planned.status).toBe(200);
    expect((await restrict(api, householdId)).status).toBe(200);

    const detail = await read(api, `/api/cases/${caseId}`, users.anna);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ caseId, status: 'active', restricted: true, household: { restricted: true } });
    // the goals' wording is personal data too: withheld the same way (and so declared in the document)
    expect(detail.body.helpPlan.goals).toEqual([expect.objectContaining({ area: 'rent_and_debts', wording: { restricted: true } })]);
    const timeline = await read(api, `/api/cases/${caseId}/timeline`, users.anna);
    expect(timeline.body.restricted).toBe(true);
    expect(timeline.body.items.map((item: { type: string }) => item.type)).toContain('ProcessingRestricted');
    const caseload = await read(api, `/api/caseload?caseworkerId=anna&limit=100`, users.anna);
    expect(caseload.body.items.find((item: { caseId: string }) => item.caseId === caseId)).toMatchObject({
      householdName: null,
      restricted: true,
    });
    const search = await read(api, `/api/caseload?q=${encodeURIComponent('sperrvermerk')}`, users.anna);
    expect(search.body.items).toEqual([]);
    for (const answer of [detail, timeline, caseload, search]) expect(answer.text).not.toMatch(/Sperrvermerk|Streitgasse|Strittig/);

    const fachstelle = await read(api, `/api/cases/${caseId}`, users.fachstelle);
    expect(fachstelle.body).toMatchObject({ restricted: true, household: { name: NAME, address: ADDRESS } });
    expect((await read(api, `/api/cases/${caseId}/timeline`, users.fachstelle)).text).toContain(NOTE);

    expect((await lift(api, householdId)).status).toBe(200);
    expect((await read(api, `/api/cases/${caseId}`, users.anna)).body).toMatchObject({ restricted: false, household: { name: NAME } });
  });

  it('refuses every command but closing, erasure and lifting with 409 processing-restricted, also a new referral', async () => {
    const { caseId, householdId } = await activeCase(api);
    expect((await restrict(api, householdId)).status).toBe(200);
    const routes = caseRoutes();
    for (const [route, body, token] of [
      ['visits', routes.visits, users.anna],
      ['mediations', routes.mediations, users.anna],
      ['extension', routes.extension, users.fachstelle],
      ['household-details', { changedOn: today(), reason: 'correction', household: { name: 'Familie X' } }, users.fachstelle],
    ] as const) {
      await expectNothingWritten(api, caseId, async () => {
        const answer = await api.post(`/api/cases/${caseId}/${route}`, token, body);
        expectProblem(answer, 409, 'processing-restricted');
        return answer;
      });
    }
    const during = await api.post('/api/cases', users.fachstelle, referral({ householdId, receivedOn: today() }));
    expectProblem(during, 409, 'processing-restricted');
    expect(
      (await api.post(`/api/cases/${caseId}/closure`, users.anna, { closedOn: today(), reason: 'other', housingAtClose: 'unknown' }))
        .status,
    ).toBe(200);
    const repeat = await api.post('/api/cases', users.fachstelle, referral({ householdId, receivedOn: today() }));
    expectProblem(repeat, 409, 'processing-restricted');
    expect((await lift(api, householdId)).status).toBe(200);
    expect((await api.post('/api/cases', users.fachstelle, referral({ householdId, receivedOn: today() }))).status).toBe(201);
  });

  it('leaves erasure possible while restricted', async () => {
    const { householdId } = await closedCase(api);
    expect((await restrict(api, householdId)).status).toBe(200);
    expect((await api.request('DELETE', `/api/households/${householdId}/personal-data`, { token: users.admin })).status).toBe(204);
  });

  it('is the Fachstelle only', async () => {
    const { caseId, householdId } = await activeCase(api);
    for (const token of [users.anna, users.evaluator, users.admin]) {
      await expectNothingWritten(api, caseId, async () => {
        const answer = await restrict(api, householdId, token);
        expectProblem(answer, 403, 'forbidden');
        return answer;
      });
    }
  });

  it.each([
    ['an unknown reason', { restrictedOn: today(), reason: 'dispute' }, 400, 'validation'],
    ['no date', { reason: 'accuracy_contested' }, 400, 'validation'],
    ['a date in the future', { restrictedOn: inFuture(), reason: 'accuracy_contested' }, 409, 'date-in-future'],
  ])('refuses %s and writes nothing', async (_what, body, status, code) => {
    const { caseId, householdId } = await createCase(api);
    await expectNothingWritten(api, caseId, async () => {
      const answer = await restrict(api, householdId, users.fachstelle, body);
      expectProblem(answer, status as number, code as string);
      return answer;
    });
  });

  it('answers 404 for an unknown household and 400 for an id that cannot be one, writing nothing', async () => {
    const unknown = '0b7f3c1e-3d9a-4e39-9c54-6d1d2a8f9e10';
    expectProblem(await expectNothingWritten(api, null, () => restrict(api, unknown)), 404, 'household-not-found');
    expectProblem(await expectNothingWritten(api, null, () => lift(api, unknown)), 404, 'household-not-found');
    for (const answer of [
      await expectNothingWritten(api, null, () => restrict(api, 'not-a-uuid')),
      await expectNothingWritten(api, null, () => lift(api, 'not-a-uuid')),
    ]) {
      expectProblem(answer, 400, 'validation');
      expect(answer.body.errors).toEqual([{ field: 'householdId', message: 'householdId must be a UUID' }]);
    }
  });
});
