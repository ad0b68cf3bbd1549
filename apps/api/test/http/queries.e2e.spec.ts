import { approval, daysAgo, referral } from './fixtures';
import { expectProblem, TestApi, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';

describe('reading your own writes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  it('shows a command’s effect at once with minPosition', async () => {
    const created = await api.post('/api/cases', users.anna, referral());
    const { caseId } = created.body;
    const approved = await api.post(
      `/api/cases/${caseId}/approval`,
      users.fachstelle,
      approval({ approvedOn: daysAgo(50), visitIntervalDays: 14 }),
    );
    const detail = await api.request('GET', `/api/cases/${caseId}?minPosition=${approved.body.position}`, { token: users.anna });
    expect(detail.status).toBe(200);
    expect(detail.headers.get('etag')).toBe('"1"');
    expect(detail.body).toMatchObject({
      caseId,
      status: 'active',
      revision: 1,
      approvedOn: daysAgo(50),
      nextVisitDueOn: daysAgo(36),
      overdue: true,
      household: { name: 'Familie Testfall', address: 'Teststraße 1, 50667 Köln', phone: null },
    });
    const timeline = await api.request('GET', `/api/cases/${caseId}/timeline?minPosition=${approved.body.position}`, {
      token: users.fachstelle,
    });
    expect(timeline.body.items.map((i: { type: string }) => i.type)).toEqual(['ReferralReceived', 'ReferralApproved']);
    const caseload = await api.request('GET', `/api/caseload?overdue=true&minPosition=${approved.body.position}`, { token: users.anna });
    expect(caseload.body.items.map((i: { caseId: string }) => i.caseId)).toContain(caseId);
  });

  // The evaluation routes replay the log on each request rather than read a projection, so a write
  // that was answered is already in their answer: they take no minPosition (docs/projections.md).
  it.each([
    '/api/evaluation/statistics?from=2025-01-01&to=2025-03-31',
    '/api/evaluation/report?from=2025-01-01&to=2025-03-31',
    '/api/evaluation/cases?from=2025-01-01&to=2025-03-31',
    '/api/evaluation/annual-report/2025?format=json',
  ])('refuses minPosition on %s, which replays the log (400 naming it)', async (path) => {
    const answer = await api.request('GET', `${path}&minPosition=1`, { token: users.evaluator });
    expectProblem(answer, 400, 'validation');
    expect(answer.body.errors).toEqual([{ field: 'minPosition', message: expect.any(String) }]);
  });
});
