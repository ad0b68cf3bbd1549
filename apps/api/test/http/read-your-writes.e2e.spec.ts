import { daysAgo, referral } from './fixtures';
import { activeCase, expectProblem, TestApi, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { headOf } from './read-side';

/** `?minPosition=` (API.md "Queries"): wait at most 5 s for the projection, then 503 projection-lagging. */
describe('read-your-writes over HTTP', () => {
  let api: TestApi;
  let caseId: string;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
    ({ caseId } = await activeCase(api));
  });
  afterAll(() => api.stop());

  const routes = () => [`/api/cases/${caseId}`, `/api/cases/${caseId}/timeline`, '/api/caseload'];
  const get = (path: string, minPosition: string, by = users.fachstelle) =>
    api.request('GET', `${path}?minPosition=${minPosition}`, { token: by });

  it('answers 503 projection-lagging after about 5 s when the position is beyond the head', async () => {
    const beyond = (BigInt(await headOf(api)) + 1000n).toString();
    const started = Date.now();
    const answers = await Promise.all(routes().map((path) => get(path, beyond)));
    const elapsed = Date.now() - started;
    for (const answer of answers) {
      expectProblem(answer, 503, 'projection-lagging');
      expect(answer.body.detail).toContain(beyond);
    }
    expect(elapsed).toBeGreaterThanOrEqual(4_900);
    expect(elapsed).toBeLessThan(9_000);
  }, 15_000);

  it('answers at once for a position already applied, and as soon as a later write is applied', async () => {
    const head = await headOf(api);
    const started = Date.now();
    for (const path of routes()) expect((await get(path, head)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);

    // The next write gets a position after the head: a query for head + 1 waits for it, then sees it.
    const next = (BigInt(await headOf(api)) + 1n).toString();
    const waiting = get('/api/caseload', next, users.anna);
    const waitingTimeline = get(`/api/cases/${caseId}/timeline`, next);
    const created = await api.post('/api/cases', users.anna, referral({ receivedOn: daysAgo(2) }));
    await api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn: daysAgo(1), householdMet: true });
    const [caseload, timeline] = await Promise.all([waiting, waitingTimeline]);
    expect(caseload.status).toBe(200);
    expect(timeline.status).toBe(200);
    expect(BigInt(created.body.position)).toBeGreaterThanOrEqual(BigInt(next));
    const detail = await get(`/api/cases/${created.body.caseId}`, created.body.position, users.anna);
    expect(detail.body).toMatchObject({ caseId: created.body.caseId, status: 'referred', receivedOn: daysAgo(2) });
  });

  it.each(['abc', '-1', '1.5', '0x10', '1e3', '', '1234567890123456789012345678901'])(
    'refuses minPosition=%p (400 validation)',
    async (bad) => {
      for (const path of routes()) {
        const answer = await api.request('GET', `${path}?minPosition=${encodeURIComponent(bad)}`, { token: users.fachstelle });
        expectProblem(answer, 400, 'validation');
        expect(answer.body.errors).toEqual([{ field: 'minPosition', message: expect.any(String) }]);
      }
    },
  );

  it('refuses a repeated minPosition (400)', async () => {
    expectProblem(await api.request('GET', '/api/caseload?minPosition=1&minPosition=2', { token: users.fachstelle }), 400, 'validation');
  });
});
