import { randomUUID } from 'node:crypto';
import { addDays } from '@wih/domain';
import { daysAgo, referral } from './fixtures';
import { expectProblem, TestApi, token, users, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { read } from './read-side';

const activity = (overrides: Record<string, unknown> = {}) => ({
  on: daysAgo(2),
  kind: 'networking',
  partnerKinds: ['social_space_coordination', 'free_provider'],
  district: 'nippes',
  hours: 2.75,
  participants: 30,
  ...overrides,
});

/** Asserts that a request wrote nothing at all (the global head did not move). */
async function nothingWritten(api: TestApi, act: () => Promise<Answer>): Promise<Answer> {
  const head = await api.store.headPosition();
  const answer = await act();
  expect(await api.store.headPosition()).toBe(head);
  return answer;
}

/** Activities beyond single cases over HTTP (API.md `POST /api/activities`; decision 0024). */
describe('activities beyond single cases', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  const record = (body: object, by = users.anna, headers: Record<string, string> = {}) => api.post('/api/activities', by, body, headers);

  it('records an activity: 201, Location, ETag, {activityId, revision, position}; one event on its own stream', async () => {
    const activityId = randomUUID();
    const answer = await record(activity({ activityId }));
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ activityId, revision: 0, position: expect.stringMatching(/^\d+$/) });
    expect(answer.headers.get('location')).toBe(`/api/activities/${activityId}`);
    expect(answer.headers.get('etag')).toBe('"0"');
    const events = await api.store.readStream(`activity-${activityId}`);
    expect(events.map((e) => [e.type, e.data])).toEqual([['ActivityRecorded', { ...activity({ activityId }), recordedBy: 'anna' }]]);
  });

  it('is for caseworkers only: the Fachstelle, evaluators and admins are refused (403), nothing written', async () => {
    for (const who of [users.fachstelle, users.evaluator, users.admin]) {
      expectProblem(await nothingWritten(api, () => record(activity(), who)), 403, 'forbidden');
    }
    expect((await api.request('POST', '/api/activities', { body: activity() })).status).toBe(401);
  });

  describe('refusals change nothing', () => {
    it.each([
      ['a free-text field', { notes: 'Treffen mit Frau Müller' }],
      ['a name', { household: { name: 'Familie X', address: 'Y' } }],
      ['an unknown kind', { kind: 'coffee' }],
      ['an unknown partner kind', { partnerKinds: ['neighbour'] }],
      ['a partner kind twice', { partnerKinds: ['jobcenter', 'jobcenter'] }],
      ['an unknown district', { district: 'bonn' }],
      ['0 hours', { hours: 0 }],
      ['more than 24 hours', { hours: 24.25 }],
      ['hours not in quarter hours', { hours: 1.1 }],
      ['hours as a string', { hours: '2' }],
      ['negative participants', { participants: -1 }],
      ['fractional participants', { participants: 2.5 }],
      ['more than 10 000 participants', { participants: 10_001 }],
      ['no calendar date', { on: '2025-02-30' }],
    ])('%s: 400 validation', async (_what, change) => {
      expectProblem(await nothingWritten(api, () => record(activity(change))), 400, 'validation');
    });

    it('names the unknown field without echoing its value', async () => {
      const answer = await record(activity({ notes: 'Treffen mit Frau Müller' }));
      expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'notes' })]);
      expect(answer.text).not.toContain('Müller');
    });

    it('a date after today: 409 date-in-future', async () => {
      expectProblem(await nothingWritten(api, () => record(activity({ on: addDays(daysAgo(0), 1) }))), 409, 'date-in-future');
    });

    it('an activity id already recorded: 409 activity-exists', async () => {
      const activityId = randomUUID();
      expect((await record(activity({ activityId }))).status).toBe(201);
      expectProblem(await nothingWritten(api, () => record(activity({ activityId, hours: 1 }))), 409, 'activity-exists');
    });
  });

  describe('Idempotency-Key', () => {
    const seen = (a: Answer) => ({ status: a.status, body: a.body, etag: a.headers.get('etag'), location: a.headers.get('location') });

    it('answers a retry (no activityId) with the first answer and writes nothing', async () => {
      const key = { 'idempotency-key': `act-${randomUUID()}` };
      const first = await record(activity(), users.anna, key);
      expect(first.status).toBe(201);
      const retry = await nothingWritten(api, () => record(activity(), users.anna, key));
      expect(seen(retry)).toEqual(seen(first));
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
    });

    it('refuses the same key with another body: 422 idempotency-key-reused, nothing written', async () => {
      const key = { 'idempotency-key': `act-${randomUUID()}` };
      expect((await record(activity(), users.anna, key)).status).toBe(201);
      expectProblem(
        await nothingWritten(api, () => record(activity({ participants: 31 }), users.anna, key)),
        422,
        'idempotency-key-reused',
      );
    });

    it("keeps one user's key apart from another's", async () => {
      const key = { 'idempotency-key': `act-${randomUUID()}` };
      const anna = await record(activity(), users.anna, key);
      const ben = await record(activity(), users.ben, key);
      expect(ben.status).toBe(201);
      expect(ben.body.activityId).not.toBe(anna.body.activityId);
    });
  });

  describe('GET /api/activities', () => {
    const dora = token('dora', ['caseworker']);
    const emil = token('emil', ['caseworker']);

    it("lists only the caller's own activities, by date, within from and to", async () => {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      await record(activity({ activityId: a, on: daysAgo(10) }), dora);
      await record(activity({ activityId: b, on: daysAgo(3), kind: 'training', partnerKinds: [] }), dora);
      await record(activity({ activityId: c, on: daysAgo(5) }), emil);
      const mine = await read(api, '/api/activities', dora);
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((i: { activityId: string }) => i.activityId)).toEqual([a, b]);
      expect(mine.body.items[1]).toEqual({
        ...activity({ activityId: b, on: daysAgo(3), kind: 'training', partnerKinds: [] }),
        recordedBy: 'dora',
        recordedAt: expect.any(String),
      });
      expect(mine.body.truncated).toBe(false);
      const recent = await read(api, `/api/activities?from=${daysAgo(4)}&to=${daysAgo(0)}`, dora);
      expect(recent.body.items.map((i: { activityId: string }) => i.activityId)).toEqual([b]);
      const others = await read(api, '/api/activities', emil);
      expect(others.body.items.map((i: { activityId: string }) => i.activityId)).toEqual([c]);
    });

    it('reads its own write with minPosition', async () => {
      const fresh = token(`fresh-${randomUUID().slice(0, 8)}`, ['caseworker']);
      const written = await record(activity(), fresh);
      const listed = await api.request('GET', `/api/activities?minPosition=${written.body.position}`, { token: fresh });
      expect(listed.body.items.map((i: { activityId: string }) => i.activityId)).toEqual([written.body.activityId]);
    });

    it('waits for positions of other categories: a case read after an activity, an activity list after a referral', async () => {
      // A projection's checkpoint moves only with its own category: the wait ends once that category is applied up to the position.
      const written = await record(activity());
      const caseload = await api.request('GET', `/api/caseload?minPosition=${written.body.position}`, { token: users.anna });
      expect(caseload.status).toBe(200);
      const referred = await api.post('/api/cases', users.anna, referral());
      expect(referred.status).toBe(201);
      const listed = await api.request('GET', `/api/activities?minPosition=${referred.body.position}`, { token: users.anna });
      expect(listed.status).toBe(200);
      const detail = await api.request('GET', `/api/cases/${referred.body.caseId}?minPosition=${referred.body.position}`, {
        token: users.anna,
      });
      expect(detail.status).toBe(200);
    });

    it('is for caseworkers only, and refuses bad query values', async () => {
      for (const who of [users.fachstelle, users.evaluator, users.admin])
        expect((await read(api, '/api/activities', who)).status).toBe(403);
      expectProblem(await api.request('GET', '/api/activities?from=2025-13-01', { token: dora }), 400, 'validation');
      expectProblem(await api.request('GET', `/api/activities?from=${daysAgo(1)}&to=${daysAgo(2)}`, { token: dora }), 400, 'validation');
      expectProblem(await api.request('GET', '/api/activities?mine=false', { token: dora }), 400, 'validation');
    });
  });
});
