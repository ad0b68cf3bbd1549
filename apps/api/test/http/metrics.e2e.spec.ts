import { randomUUID } from 'node:crypto';
import { RetentionService } from '../../src/retention/retention.service';
import { daysAgo, inFuture } from './fixtures';
import { activeCase, createCase, TestApi, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { eventually, read, UUID } from './read-side';

/** The value of one sample (`name{labels} value`) in Prometheus text; 0 when absent (a counter not yet touched). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return 0;
}

/** GET /metrics (API.md "Operations"): Prometheus text without ids or personal data. */
describe('metrics over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  const scrape = async () => {
    const answer = await api.request('GET', '/metrics');
    expect(answer.status).toBe(200);
    return answer.text;
  };
  const visit = (caseId: string, headers: Record<string, string> = {}, visitedOn = daysAgo(1)) =>
    api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn, householdMet: true }, headers);

  it('answers Prometheus text without a token', async () => {
    const answer = await api.request('GET', '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain;/);
    expect(answer.headers.get('content-type')).toContain('version=0.0.4');
    for (const family of [
      'http_requests_total counter',
      'http_request_duration_seconds histogram',
      'wih_event_appends_total counter',
      'wih_projection_checkpoint gauge',
      'wih_projection_head gauge',
      'wih_projection_lag gauge',
    ]) {
      expect(answer.text).toContain(`# TYPE ${family}`);
    }
  });

  it('counts and times requests by route template, never by raw path', async () => {
    const { caseId } = await activeCase(api);
    const before = await scrape();
    const labels = { method: 'POST', route: '/api/cases/:id/visits' };
    for (let i = 0; i < 3; i++) expect((await visit(caseId, {}, daysAgo(i + 1))).status).toBe(200);
    expect((await api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn: 'yesterday', householdMet: true })).status).toBe(400);
    expect((await api.request('POST', `/api/cases/${caseId}/visits`, { body: {} })).status).toBe(401);
    expect((await read(api, `/api/cases/${caseId}`, users.anna)).status).toBe(200);
    expect((await api.request('GET', `/api/cases/${randomUUID()}`, { token: users.anna })).status).toBe(404);
    expect((await api.request('GET', `/api/no-such-route/${caseId}`, { token: users.anna })).status).toBe(404);
    const after = await scrape();

    const delta = (name: string, l: Record<string, string>) => sample(after, name, l) - sample(before, name, l);
    expect(delta('http_requests_total', { ...labels, status: '200' })).toBe(3);
    expect(delta('http_requests_total', { ...labels, status: '400' })).toBe(1);
    expect(delta('http_requests_total', { ...labels, status: '401' })).toBe(1);
    expect(delta('http_requests_total', { method: 'GET', route: '/api/cases/:id', status: '200' })).toBe(1);
    expect(delta('http_requests_total', { method: 'GET', route: '/api/cases/:id', status: '404' })).toBe(1);
    expect(delta('http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(delta('http_request_duration_seconds_count', labels)).toBe(5);
    expect(delta('http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(5);
    expect(sample(after, 'http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    expect(after).not.toMatch(UUID);
    expect(after).not.toContain('no-such-route');
    const routes = new Set([...after.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    for (const route of routes) expect(route).toMatch(/^(\/[a-z-]*|\/:[a-zA-Z]+)*$|^unmatched$/);
  });

  it('counts appends by command type; a replayed or refused command counts nothing', async () => {
    const { caseId } = await activeCase(api);
    const visits = async () => sample(await scrape(), 'wih_event_appends_total', { command: 'RecordHomeVisit' });
    const referrals = async () => sample(await scrape(), 'wih_event_appends_total', { command: 'ReceiveReferral' });
    const [visitsBefore, referralsBefore] = [await visits(), await referrals()];
    expect(visitsBefore).toBeGreaterThanOrEqual(0);

    const key = { 'idempotency-key': `metrics-${randomUUID()}` };
    const first = await visit(caseId, key);
    expect(first.status).toBe(200);
    expect(await visits()).toBe(visitsBefore + 1);
    const replay = await visit(caseId, key);
    expect(replay.body).toEqual(first.body);
    expect(await visits()).toBe(visitsBefore + 1);
    expect((await visit(caseId, {}, inFuture())).status).toBe(409); // refused (date-in-future): nothing appended
    expect((await api.post(`/api/cases/${caseId}/visits`, users.anna, { householdMet: true })).status).toBe(400);
    expect((await visit(randomUUID())).status).toBe(404);
    expect(await visits()).toBe(visitsBefore + 1);
    expect((await visit(caseId)).status).toBe(200);
    expect(await visits()).toBe(visitsBefore + 2);

    await activeCase(api);
    expect(await referrals()).toBe(referralsBefore + 1);
    expect(sample(await scrape(), 'wih_event_appends_total', { command: 'ApproveReferral' })).toBeGreaterThanOrEqual(2);
  });

  it('counts the appends of an erasure, one per stream it marked; erasing again counts nothing', async () => {
    const erasures = async () => sample(await scrape(), 'wih_event_appends_total', { command: 'ErasePersonalData' });
    const { householdId } = await activeCase(api);
    const before = await erasures();
    const erase = () => api.request('DELETE', `/api/households/${householdId}/personal-data`, { token: users.admin });

    expect((await erase()).status).toBe(204);
    expect(await erasures()).toBe(before + 2); // the case stream and the household stream
    expect((await erase()).status).toBe(204);
    expect(await erasures()).toBe(before + 2);
  });

  it('counts the appends of the retention job', async () => {
    const erasures = async () => sample(await scrape(), 'wih_event_appends_total', { command: 'ErasePersonalData' });
    const rejected = await createCase(api);
    expect(
      (await api.post(`/api/cases/${rejected.caseId}/rejection`, users.fachstelle, { rejectedOn: daysAgo(1), reason: 'other' })).status,
    ).toBe(200);
    const before = await erasures();

    // In two years the rejection's retention period (1 year) has ended.
    const report = await api.app.get(RetentionService).run(new Date(Date.now() + 2 * 365.25 * 24 * 3600 * 1000));
    const appended = [...report.completed, ...report.erasures].reduce((sum, e) => sum + e.appended, 0);
    expect(report.erasures.map((e) => e.householdId)).toContain(rejected.householdId);
    expect(appended).toBeGreaterThanOrEqual(2);
    expect(await erasures()).toBe(before + appended);
  });

  it('reports projection checkpoints, head and lag; the lag goes to 0', async () => {
    await activeCase(api);
    const head = Number(await api.store.headPosition('case'));
    const text = await eventually(scrape, (t) =>
      ['cases', 'timeline'].every(
        (p) =>
          sample(t, 'wih_projection_checkpoint', { projection: p }) === head && sample(t, 'wih_projection_lag', { projection: p }) === 0,
      ),
    );
    for (const projection of ['cases', 'timeline']) {
      expect(sample(text, 'wih_projection_head', { projection })).toBe(head);
      expect(text).toContain(`wih_projection_lag{projection="${projection}"} 0`);
      expect(text).toContain(`wih_projection_parked_events{projection="${projection}"} 0`);
    }
  });

  it('never shows household names, addresses, phones, notes or ids', async () => {
    const planted = { name: 'Familie Geheimniskrämer', address: 'Verborgene Gasse 7, 50667 Köln', phone: '0221 9876543' };
    const notes = ['Vertrauliche Notiz XK-17', 'Besuchsnotiz XK-18', 'Ablehnungsgrund XK-19'];
    const { caseId, householdId } = await activeCase(api, { household: planted, notes: notes[0] });
    expect(
      (await api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn: daysAgo(1), householdMet: true, notes: notes[1] })).status,
    ).toBe(200);
    // the same data in query strings, paths and refused bodies
    expect((await read(api, `/api/caseload?q=${encodeURIComponent(planted.name)}`, users.fachstelle)).body.items).toHaveLength(1);
    expect((await read(api, `/api/cases/${caseId}/timeline`, users.anna)).status).toBe(200);
    expect((await api.request('GET', `/api/cases/${encodeURIComponent(planted.name)}`, { token: users.anna })).status).toBe(400);
    expect(
      (await api.post(`/api/cases/${caseId}/rejection`, users.fachstelle, { rejectedOn: daysAgo(1), reason: 'other', notes: notes[2] }))
        .status,
    ).toBe(409);
    expect((await api.request('GET', `/${encodeURIComponent(planted.phone)}`, { token: users.anna })).status).toBe(404);

    const text = await scrape();
    for (const secret of [
      planted.name,
      'Geheimnis',
      planted.address,
      'Verborgene',
      planted.phone,
      '9876543',
      ...notes,
      'XK-1',
      caseId,
      householdId,
    ]) {
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    }
    expect(text).not.toMatch(UUID);
  });
});
