import { encodeCaseEvent, replayFacts } from '@wih/application';
import { annualReport } from '@wih/evaluation';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { referral, today } from './fixtures';
import { createCase, expectProblem, TestApi, token, users, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { eventually, read } from './read-side';

/**
 * The annual report's own text and its finalisation (API.md, DOMAIN.md "The annual report"): the
 * roles, If-Match on a section, idempotency, the personal-data check with the writer's matches, the
 * end of drafting and finalising once finalised, and a finalised year that reads the same forever.
 */
const year = Number(today().slice(0, 4)) - 1;
const base = `/api/evaluation/annual-report/${year}`;
const textPath = (section: string, y = year) => `/api/evaluation/annual-report/${y}/text/${section}`;

describe('the annual report text and its finalisation', () => {
  let api: TestApi;
  const put = (path: string, body: unknown, headers: Record<string, string> = {}, by = users.evaluator): Promise<Answer> =>
    api.request('PUT', path, { token: by, body, headers });

  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
    const { caseId } = await createCase(
      api,
      referral({ household: { name: 'Anna Maria Müller', address: 'Venloer Straße 12, 50823 Köln' } }),
    );
    // The check reads the cases read model: wait until it holds the household.
    expect((await read(api, `/api/cases/${caseId}`, users.fachstelle)).status).toBe(200);
  });
  afterAll(() => api.stop());

  it('only evaluators draft; an unknown section or year is 400', async () => {
    for (const by of [users.anna, users.fachstelle, users.admin])
      expectProblem(await put(textPath('cooperation'), { text: 'x' }, {}, by), 403, 'forbidden');
    expectProblem(await put(textPath('summary'), { text: 'x' }), 400, 'validation');
    expectProblem(await put(textPath('cooperation', 1999), { text: 'x' }), 400, 'validation');
    expectProblem(await put(textPath('cooperation'), { text: 'x', extra: 1 }), 400, 'validation');
    expectProblem(await put(textPath('cooperation'), { text: 'ü'.repeat(10_001) }), 400, 'validation');
  });

  it('drafts a section with its own revisions; If-Match names the section revision (412 when stale)', async () => {
    const first = await put(textPath('focus_and_goals'), { text: 'Schwerpunkt war die Nachsorge.' }, { 'If-Match': '"0"' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ year, section: 'focus_and_goals', revision: 1, position: expect.any(String) });
    expect(first.headers.get('etag')).toBe('"1"');
    const second = await put(textPath('focus_and_goals'), { text: 'Schwerpunkt war die Nachsorge, und mehr.' }, { 'If-Match': '"1"' });
    expect(second.body.revision).toBe(2);
    expectProblem(await put(textPath('focus_and_goals'), { text: 'verloren' }, { 'If-Match': '"1"' }), 412, 'stale-revision');
    // Another section starts at 0.
    expect((await put(textPath('cooperation'), { text: '' }, { 'If-Match': '0' })).body.revision).toBe(1);
    const json = await api.request('GET', base, { token: users.evaluator });
    expect(json.body.text.focus_and_goals).toEqual({ text: 'Schwerpunkt war die Nachsorge, und mehr.', revision: 2 });
    expect(json.body.text.current_development).toEqual({ text: '', revision: 0 });
    expect(json.body.finalised).toBeNull();
    // the text alone (the editor's read, no replay): the same sections and revisions
    const text = await api.request('GET', `${base}/text`, { token: users.evaluator });
    expect(text.status).toBe(200);
    expect(text.body).toEqual({ year, text: json.body.text, finalised: null });
    for (const by of [users.anna, users.fachstelle, users.admin])
      expectProblem(await api.request('GET', `${base}/text`, { token: by }), 403, 'forbidden');
    expectProblem(await api.request('GET', '/api/evaluation/annual-report/1999/text', { token: users.evaluator }), 400, 'validation');
  });

  it('a retry with the same Idempotency-Key answers as the first time and appends nothing; another body is 422', async () => {
    const key = { 'Idempotency-Key': `draft-${randomUUID()}` };
    const first = await put(textPath('future_development'), { text: 'Ausblick.' }, key);
    const again = await put(textPath('future_development'), { text: 'Ausblick.' }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await api.store.readStream(`report-${year}`)).toHaveLength(4);
    expectProblem(await put(textPath('future_development'), { text: 'Anderer Ausblick.' }, key), 422, 'idempotency-key-reused');
  });

  it('a text naming a household is refused with 422, the matches as written, and nothing is saved', async () => {
    const before = (await api.store.readStream(`report-${year}`)).length;
    const text = 'Besonders bei Maria Mu\u0308ller (Venloer Str. 12) gelang die Vermittlung. Frau Müller war zufrieden.';
    const refused = await put(textPath('current_development'), { text });
    expectProblem(refused, 422, 'personal-data-in-text');
    expect(refused.body.matches).toEqual(['Maria Mu\u0308ller', 'Venloer Str. 12']);
    expect(refused.text).not.toContain('Anna');
    expect(await api.store.readStream(`report-${year}`)).toHaveLength(before);
    // A surname alone is an ordinary word.
    expect((await put(textPath('current_development'), { text: 'Frau Müller war zufrieden.' })).status).toBe(200);
  });

  it('the Fachstelle may not read a year that is not finalised', async () => {
    expectProblem(await api.request('GET', base, { token: users.fachstelle }), 403, 'report-not-finalised');
    expectProblem(await api.request('GET', base, { token: users.anna }), 403, 'forbidden');
  });

  it('finalisation: evaluators only, not before the end of the year, then frozen (JSON, CSV, HTML, PDF byte-identical)', async () => {
    const finalise = (body: unknown, by = users.evaluator, headers: Record<string, string> = {}) =>
      api.request('POST', `${base}/finalisation`, { token: by, body, headers });
    expectProblem(await finalise({ asOf: today() }, users.fachstelle), 403, 'forbidden');
    expectProblem(await finalise({ asOf: `${year}-12-30` }), 409, 'year-not-ended');
    expectProblem(await finalise({ asOf: '2999-01-01' }), 400, 'validation');
    expectProblem(
      await api.request('POST', `/api/evaluation/annual-report/${year + 1}/finalisation`, {
        token: users.evaluator,
        body: { asOf: today() },
      }),
      409,
      'year-not-ended',
    );

    const asOf = new Date(Date.now() - 1000).toISOString();
    const key = { 'Idempotency-Key': `finalise-${randomUUID()}` };
    const done = await finalise({ asOf }, users.evaluator, key);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      year,
      asOf,
      figuresDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      revision: 5,
      position: expect.any(String),
    });
    expect((await finalise({ asOf }, users.evaluator, key)).body).toEqual(done.body);
    expectProblem(await finalise({ asOf }), 409, 'report-finalised');
    expectProblem(await put(textPath('cooperation'), { text: 'zu spät' }), 409, 'report-finalised');

    const pdfOf = async (by: string) => {
      const response = await fetch(`${api.baseUrl}${base}?format=pdf`, { headers: { authorization: `Bearer ${by}` } });
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer()).toString('base64');
    };
    const formats = async (by: string) => [
      ...(await Promise.all(
        ['json', 'csv', 'html'].map(async (format) => (await api.request('GET', `${base}?format=${format}`, { token: by })).text),
      )),
      await pdfOf(by),
    ];
    const frozen = await formats(users.evaluator);
    const json = JSON.parse(frozen[0]);
    expect(json.finalised).toEqual({ asOf, finalisedAt: expect.any(String), figuresDigest: done.body.figuresDigest });
    expect(json.asOf).toBe(asOf);
    expect(frozen[2]).toContain('Schwerpunkt war die Nachsorge, und mehr.');

    // The log gains a referral of the year recorded before asOf (a writer whose clock was behind), and one after.
    const caseId = randomUUID();
    const received = encodeCaseEvent(
      {
        type: 'ReferralReceived',
        data: { ...referral({ receivedOn: `${year}-06-15` }), caseId, householdId: randomUUID(), previousCaseId: null, recordedBy: 'anna' },
        personal: { household: { name: 'Spät Erfasst', address: 'Ringstraße 1' } },
      } as never,
      {
        commandId: randomUUID(),
        correlationId: randomUUID(),
        userId: 'anna',
        role: 'caseworker',
        recordedAt: new Date(Date.parse(asOf) - 60_000).toISOString(),
      },
    );
    await api.store.append(`case-${caseId}`, [received], 'no-stream');
    await createCase(api, referral({ receivedOn: `${year}-07-01` }));
    // Recomputed now, the same asOf would count the late entry: the frozen report does not.
    const recomputed = annualReport(await replayFacts(api.store, asOf), year, asOf, new Date().toISOString());
    expect(recomputed.current.referrals.total).not.toEqual(json.current.referrals.total);

    expect(await formats(users.evaluator)).toEqual(frozen);
    expect((await api.request('GET', `${base}?asOf=${today()}`, { token: users.evaluator })).text).toBe(frozen[0]);
    // The Fachstelle now receives the very same report.
    expect(await formats(users.fachstelle)).toEqual(frozen);
    expect(await formats(token('fs-2', ['fachstelle', 'evaluator']))).toEqual(frozen);
  });
});

describe('the matches of a refused report text', () => {
  const lines: string[] = [];
  const logs = new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      lines.push(chunk.toString());
      done();
    },
  });
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start(undefined, { LOG_LEVEL: 'trace' }, { logDestination: logs }));
  });
  afterAll(() => api.stop());

  it('go to the writer only: never into a log line', async () => {
    const { caseId } = await createCase(api, referral({ household: { name: 'Xaver Quendelmeier', address: 'Zirbelweg 7, 50667 Köln' } }));
    expect((await read(api, `/api/cases/${caseId}`, users.fachstelle)).status).toBe(200);
    const refused = await api.request('PUT', textPath('cooperation'), {
      token: users.evaluator,
      body: { text: 'Mit Quendelmeier, Xaver und am Zirbelweg 7.' },
    });
    expectProblem(refused, 422, 'personal-data-in-text');
    expect(refused.body.matches).toEqual(['Quendelmeier, Xaver', 'Zirbelweg 7']);
    // The request line is there (the section, not a route word, logged as `*`), the passages are not.
    await eventually(
      async () => lines.some((line) => line.includes(`/annual-report/${year}/text/*`) && line.includes('422')),
      (logged) => logged,
    );
    expect(lines.join('')).not.toMatch(/Quendelmeier|Zirbelweg/);
  });
});
