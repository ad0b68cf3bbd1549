import { daysAgo, referral, today } from './fixtures';
import { activeCase, expectProblem, TestApi, token, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';

/**
 * Rate limits per user (decision 0019): beyond the limit of a route's class, 429 `rate-limited`
 * with Retry-After; evaluation routes count apart from commands and queries, and one user's
 * requests never use up another's.
 */
describe('rate limits per user', () => {
  let api: TestApi;
  const year = Number(today().slice(0, 4));
  const statistics = (by: string) => api.request('GET', `/api/evaluation/statistics?from=${daysAgo(30)}&to=${today()}`, { token: by });

  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start(undefined, { RATE_LIMIT_EVALUATION: '2/60s', RATE_LIMIT: '5/60s' }));
  });
  afterAll(() => api.stop());

  it('the evaluation routes: the third evaluation of one user within the window is 429 rate-limited with Retry-After; another user is not affected', async () => {
    const eva = token('eva-limited', ['evaluator']);
    expect((await statistics(eva)).status).toBe(200);
    expect((await api.request('GET', `/api/evaluation/annual-report/${year}`, { token: eva })).status).toBe(200);
    const refused = await statistics(eva);
    expectProblem(refused, 429, 'rate-limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    // still refused: a refused request does not reset the window, and the report counts the same
    expectProblem(await api.request('GET', `/api/evaluation/annual-report/${year}`, { token: eva }), 429, 'rate-limited');

    expect((await statistics(token('eve-other', ['evaluator']))).status).toBe(200);
    // the same user's queries count against their own limit
    expect((await api.request('GET', '/api/caseload', { token: token('eva-limited', ['caseworker']) })).status).toBe(200);
  });

  it("the annual report's text alone counts as a query, not an evaluation: the editor opens while evaluations are used up", async () => {
    const eva = token('eva-editing', ['evaluator']);
    expect((await statistics(eva)).status).toBe(200);
    expect((await statistics(eva)).status).toBe(200);
    expectProblem(await statistics(eva), 429, 'rate-limited');
    const text = await api.request('GET', `/api/evaluation/annual-report/${year}/text`, { token: eva });
    expect(text.status).toBe(200);
    expect(text.body).toMatchObject({ year, finalised: null });
  });

  it('commands and queries: beyond RATE_LIMIT a user gets 429 on both; another user goes on', async () => {
    const carla = token('carla', ['caseworker']);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await api.post('/api/cases', carla, referral())).status);
    expect(answers).toEqual([201, 201, 201, 201, 201]);
    const command = await api.post('/api/cases', carla, referral());
    expectProblem(command, 429, 'rate-limited');
    expect(command.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expectProblem(await api.request('GET', '/api/caseload', { token: carla }), 429, 'rate-limited');

    const { caseId } = await activeCase(api);
    expect((await api.request('GET', `/api/cases/${caseId}`, { token: users.anna })).status).toBe(200);
  });

  it('does not count /health (public, no user)', async () => {
    for (let i = 0; i < 8; i++) expect((await api.request('GET', '/health')).status).toBe(200);
  });
});
