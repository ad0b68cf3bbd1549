import type { AccessEntry, AccessLog } from '@wih/access-log';
import { randomUUID } from 'node:crypto';
import { ACCESS_LOG } from '../../src/access-log/access-log.token';
import { activeCase, expectProblem, TestApi, token, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { read } from './read-side';

/** Every read of a case's personal data leaves an entry an admin can export (docs/access-log.md). */
const HOUSEHOLD_NAME = 'Familie Testfall';

const exportLog = (api: TestApi, query: string, as = users.admin) => api.request('GET', `/api/admin/access-log?${query}`, { token: as });
const entriesOf = async (api: TestApi, query: string): Promise<AccessEntry[]> => {
  const answer = await exportLog(api, query);
  expect(answer.status).toBe(200);
  return answer.body.items;
};

/** RFC 4180 as written by the export (quoted fields may hold commas and doubled quotes). */
const parseCsv = (text: string): string[][] =>
  text
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
        .map((m) => m[1])
        .slice(0, 6)
        .map((f) => (f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f)),
    );

describe('access log', () => {
  let api: TestApi;
  let caseId: string;
  let started: string;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
    started = new Date().toISOString();
    ({ caseId } = await activeCase(api));
  });
  afterAll(() => api.stop());

  it('records who read which case how: detail, timeline, and each case listed in a caseload', async () => {
    expect((await read(api, `/api/cases/${caseId}`, users.anna)).status).toBe(200);
    expect((await read(api, `/api/cases/${caseId}/timeline`, users.fachstelle)).status).toBe(200);
    const caseload = await read(api, '/api/caseload', users.anna);
    expect(caseload.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([caseId]);
    const entries = await entriesOf(api, `caseId=${caseId}`);
    // Ordered by time, then id: reads within one millisecond may come in either order.
    const byAction = (a: { action: string }, b: { action: string }) => a.action.localeCompare(b.action);
    expect(entries.map(({ userId, role, caseId: id, action }) => ({ userId, role, caseId: id, action })).sort(byAction)).toEqual([
      { userId: 'anna', role: 'caseworker', caseId, action: 'caseload' },
      { userId: 'anna', role: 'caseworker', caseId, action: 'detail' },
      { userId: 'fs-1', role: 'fachstelle', caseId, action: 'timeline' },
    ]);
    for (const e of entries) {
      expect(Object.keys(e).sort()).toEqual(['action', 'at', 'caseId', 'id', 'role', 'userId']);
      expect(e.at >= started && e.at <= new Date().toISOString()).toBe(true);
    }
  });

  it('writes nothing for a refused read, nor for a caseload without cases', async () => {
    const before = await entriesOf(api, `caseId=${caseId}`);
    expect((await read(api, `/api/cases/${caseId}`, users.ben)).status).toBe(404);
    expect((await read(api, `/api/cases/${randomUUID()}`, users.anna)).status).toBe(404);
    expect((await read(api, '/api/caseload', users.ben)).body.items).toEqual([]);
    expect(await entriesOf(api, `caseId=${caseId}`)).toEqual(before);
    expect(await entriesOf(api, 'userId=ben')).toEqual([]);
  });

  it('holds no personal data: no household name, no search text', async () => {
    expect((await read(api, '/api/caseload?q=Testfall', users.fachstelle)).body.items).toHaveLength(1);
    const json = await exportLog(api, 'userId=fs-1');
    const csv = await exportLog(api, 'userId=fs-1&format=csv');
    expect(json.body.items.map((e: AccessEntry) => e.action)).toContain('caseload');
    for (const text of [json.text, csv.text]) {
      expect(text).not.toContain(HOUSEHOLD_NAME);
      expect(text).not.toContain('Testfall');
      expect(text).not.toContain('Teststraße');
    }
  });

  it('exports CSV with a header row, the same entries as JSON', async () => {
    const csv = await exportLog(api, `caseId=${caseId}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['id', 'at', 'userId', 'role', 'caseId', 'action']);
    const json = await entriesOf(api, `caseId=${caseId}`);
    expect(rows).toEqual(json.map((e) => [e.id, e.at, e.userId, e.role, e.caseId, e.action]));
  });

  it('filters by user and time: from and to inclusive, a date meaning its whole UTC day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(await entriesOf(api, `caseId=${caseId}&to=2020-01-01`)).toEqual([]);
    const all = await entriesOf(api, `caseId=${caseId}`);
    expect(await entriesOf(api, `caseId=${caseId}&from=${today}&to=${today}`)).toEqual(all);
    expect(await entriesOf(api, `caseId=${caseId}&from=${all[1].at}&to=${all[1].at}`)).toEqual(all.filter((e) => e.at === all[1].at));
    expect((await entriesOf(api, `caseId=${caseId}&userId=anna`)).map((e) => e.action).sort()).toEqual(['caseload', 'detail']);
    expectProblem(await exportLog(api, 'from=yesterday'), 400, 'validation');
    expectProblem(await exportLog(api, 'from=2026-02-30'), 400, 'validation');
    expectProblem(await exportLog(api, 'from=2026-03-02&to=2026-03-01'), 400, 'validation');
  });

  it('streams a long log completely, in order, without repeating an entry', async () => {
    const userId = `bulk-${randomUUID().slice(0, 8)}`;
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3) * 1000).toISOString();
    const entries = Array.from({ length: 2_345 }, (_, i): AccessEntry => ({
      id: randomUUID(),
      at: at(i),
      userId,
      role: 'fachstelle',
      caseId: randomUUID(),
      action: 'caseload',
    }));
    await api.app.get<AccessLog>(ACCESS_LOG).append(entries);
    const exported = await entriesOf(api, `userId=${userId}`);
    expect(exported).toHaveLength(entries.length);
    expect(new Set(exported.map((e) => e.id)).size).toBe(entries.length);
    expect(exported.map((e) => e.at)).toEqual(entries.map((e) => e.at));
    const csv = await exportLog(api, `userId=${userId}&format=csv`);
    expect(parseCsv(csv.text)).toHaveLength(entries.length + 1);
  });

  it('is for admins only, and no route changes it', async () => {
    for (const who of [users.anna, users.fachstelle, users.evaluator]) expectProblem(await exportLog(api, '', who), 403, 'forbidden');
    expect((await api.request('GET', '/api/admin/access-log')).status).toBe(401);
    const before = await entriesOf(api, `caseId=${caseId}`);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect((await api.request(method, '/api/admin/access-log', { token: users.admin, body: {} })).status).toBe(404);
      expect((await api.request(method, `/api/admin/access-log/${before[0].id}`, { token: users.admin, body: {} })).status).toBe(404);
    }
    expect(await entriesOf(api, `caseId=${caseId}`)).toEqual(before);
  });
});

describe('access log unavailable', () => {
  it('fails the read closed (503): no personal data without its entry', async () => {
    const api = checkAnswersAgainstDocument(await TestApi.start());
    try {
      const { caseId } = await activeCase(api);
      const reader = token('fs-2', ['fachstelle']);
      await api.app.get<AccessLog>(ACCESS_LOG).close();
      for (const path of [`/api/cases/${caseId}`, `/api/cases/${caseId}/timeline`, '/api/caseload']) {
        const answer = await read(api, path, reader);
        expectProblem(answer, 503, 'access-log-unavailable');
        expect(answer.text).not.toContain(HOUSEHOLD_NAME);
      }
      expectProblem(await exportLog(api, ''), 503, 'access-log-unavailable');
    } finally {
      await api.stop();
    }
  });
});
