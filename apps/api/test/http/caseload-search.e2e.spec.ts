import { Writable } from 'node:stream';
import { activeCase, expectNothingWritten, expectProblem, TestApi, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { headOf } from './read-side';

/** A household name that must stay out of URLs and logs. */
const NAME = 'Familie Quendelbach';

class LogBuffer extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(chunk.toString());
    done();
  }
}

/** `POST /api/caseload/search` (API.md "Queries"): the caseload query with its criteria in the body. */
describe('the caseload search in a body', () => {
  let api: TestApi;
  const logs = new LogBuffer();
  let caseId: string;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start(undefined, { LOG_LEVEL: 'trace' }, { logDestination: logs }));
    ({ caseId } = await activeCase(api, { household: { name: NAME, address: 'Weg 1, 50667 Köln' } }));
    await activeCase(api, { household: { name: 'Familie Anders', address: 'Weg 2, 50667 Köln' } });
  });
  afterAll(() => api.stop());

  const search = (body: unknown, token = users.anna) => api.post('/api/caseload/search', token, body);

  it('answers as the GET with the same criteria, and records the read in the access log', async () => {
    const minPosition = await headOf(api);
    const posted = await search({ q: 'quendel', status: 'active', overdue: true, limit: 10, minPosition });
    const got = await api.request('GET', `/api/caseload?q=quendel&status=active&overdue=true&limit=10&minPosition=${minPosition}`, {
      token: users.anna,
    });
    expect({ status: posted.status, items: posted.body.items.map((i: { caseId: string }) => i.caseId) }).toEqual({
      status: 200,
      items: [caseId],
    });
    expect(posted.body).toEqual(got.body);
    expect(posted.headers.get('cache-control')).toBe('no-store');
    const audit = await api.request('GET', `/api/admin/access-log?caseId=${caseId}`, { token: users.admin });
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'caseload')).toHaveLength(2);
  });

  it('pages on with the cursor in the body', async () => {
    const first = await search({ limit: 1, sort: 'receivedOn' });
    expect(first.body.items).toHaveLength(1);
    const second = await search({ limit: 1, sort: 'receivedOn', cursor: first.body.nextCursor });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].caseId).not.toBe(first.body.items[0].caseId);
  });

  it.each([
    ['a limit as a string', { limit: '5' }, 'limit'],
    ['a limit over 200', { limit: 201 }, 'limit'],
    ['overdue as a string', { overdue: 'true' }, 'overdue'],
    ['a name over 100 characters', { q: 'x'.repeat(101) }, 'q'],
    ['an unknown field', { name: NAME }, 'name'],
  ])('refuses %s with 400, naming the field, writing nothing', async (_label, body, field) => {
    const answer = await expectNothingWritten(api, null, () => search(body));
    expectProblem(answer, 400, 'validation');
    expect([...new Set(answer.body.errors.map((e: { field: string }) => e.field))]).toEqual([field]);
    expect(answer.text).not.toContain(NAME);
  });

  it("refuses a caseworker another caseworker's caseload (403)", async () => {
    expectProblem(await search({ caseworkerId: 'anna' }, users.ben), 403, 'forbidden');
  });

  it('never logs the search text, neither from the body nor from a query string', async () => {
    await search({ q: NAME });
    await api.request('GET', `/api/caseload?q=${encodeURIComponent(NAME)}`, { token: users.anna });
    const text = logs.lines.join('');
    expect(text).toContain('/api/caseload/search');
    expect(text).not.toContain('Quendelbach');
    expect(text).not.toMatch(/[?&]q=/);
  });
});
