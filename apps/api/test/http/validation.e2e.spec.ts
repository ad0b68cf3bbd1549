import { approval, caseRoutes, referral } from './fixtures';
import { activeCase, createCase, expectNothingWritten, expectProblem, TestApi, users, type Answer } from './harness';
import { checkAnswersAgainstDocument, contractDocument } from './contract';

/** A word that must never come back in an answer: it stands for a household's name or notes. */
const SECRET = 'Geheimhaltung';

const TOKENS: Record<string, string> = {
  caseworker: users.anna,
  fachstelle: users.fachstelle,
  evaluator: users.evaluator,
  admin: users.admin,
};

/**
 * Every route of the contract that takes a JSON body: its method, its path with the parameters
 * filled in, and a token of the first role it allows (so that the answer is not 401 or 403).
 */
function jsonBodyRoutes(ids: Record<string, string>): { method: string; path: string; token: string }[] {
  const paths = contractDocument().paths as Record<
    string,
    Record<string, { requestBody?: unknown; description: string; parameters?: { name: string; in: string; schema: { enum?: string[] } }[] }>
  >;
  return Object.entries(paths).flatMap(([template, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => operation.requestBody !== undefined)
      .map(([method, operation]) => {
        const role = /Roles: (\w+)/.exec(operation.description)?.[1] as string;
        const path = (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'path')
          .reduce((filled, { name, schema }) => filled.replace(`{${name}}`, ids[name] ?? schema.enum?.[0] ?? ''), template);
        return { method: method.toUpperCase(), path, token: TOKENS[role] };
      }),
  );
}

/** Shape checks at the edge (API.md "Errors"): 400 `validation` naming each field, nothing written, no value echoed. */
describe('request validation over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  function expectInvalid(answer: Answer, ...fields: string[]): void {
    expectProblem(answer, 400, 'validation');
    expect(answer.body.errors).toEqual(expect.arrayContaining(fields.map((field) => ({ field, message: expect.any(String) }))));
    expect(answer.body.errors.map((e: { field: string }) => e.field).every((f: string) => fields.includes(f))).toBe(true);
    expect(answer.text).not.toContain(SECRET);
  }

  const named = (overrides: Record<string, unknown> = {}) =>
    referral({ household: { name: `Familie ${SECRET}`, address: `${SECRET}weg 1` }, notes: SECRET, ...overrides });

  it('refuses malformed JSON without quoting it', async () => {
    const answer = await expectNothingWritten(api, null, () =>
      api.request('POST', '/api/cases', { token: users.anna, raw: `{"household":{"name": ${SECRET}}}` }),
    );
    expectInvalid(answer, 'body');
    expect(answer.body.detail).not.toContain(SECRET);
  });

  it.each([
    ['an unknown top-level field', { unexpected: SECRET }, ['unexpected']],
    ['an unknown field inside household', { household: { name: SECRET, address: 'Weg 1', unexpected: SECRET } }, ['household.unexpected']],
    ['a wrong enum value', { targetGroup: SECRET }, ['targetGroup']],
    ['a wrong enum value in a list', { threatCauses: ['rent_arrears', SECRET] }, ['threatCauses']],
    ['an impossible date', { receivedOn: '2025-02-30' }, ['receivedOn']],
    ['a wrongly formatted date', { receivedOn: '30.01.2025' }, ['receivedOn']],
    ['a date with a time', { receivedOn: '2025-01-30T10:00:00Z' }, ['receivedOn']],
    ['a string for adults', { adults: '2' }, ['adults']],
    ['"true" for consentGiven', { consentGiven: 'true' }, ['consentGiven']],
    ['adults 0', { adults: 0 }, ['adults']],
    ['a household that is a string', { household: `Familie ${SECRET}` }, ['household']],
    ['a household name over 200 characters', { household: { name: SECRET.repeat(20), address: 'Weg 1' } }, ['household.name']],
    ['a non-uuid householdId', { householdId: SECRET }, ['householdId']],
  ])('refuses a referral with %s, naming the field', async (_label, overrides, fields) => {
    const answer = await expectNothingWritten(api, null, () => api.post('/api/cases', users.anna, named(overrides)));
    expectInvalid(answer, ...fields);
  });

  it('refuses a referral without its required fields, naming each', async () => {
    const { household: _h, consentGiven: _c, ...rest } = referral();
    const answer = await expectNothingWritten(api, null, () => api.post('/api/cases', users.anna, rest));
    expectInvalid(answer, 'household', 'consentGiven');
  });

  it.each([6, 91, 14.5])('refuses visitIntervalDays %s (7–90 whole days)', async (visitIntervalDays) => {
    const { caseId } = await createCase(api);
    const answer = await expectNothingWritten(api, caseId, () =>
      api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval({ visitIntervalDays })),
    );
    expectInvalid(answer, 'visitIntervalDays');
  });

  it('refuses a visit with an unknown field, a wrong type and free text in concerns', async () => {
    const { caseId } = await activeCase(api);
    const body = { ...caseRoutes().visits, householdMet: 'yes', concerns: [SECRET], notez: SECRET };
    const answer = await expectNothingWritten(api, caseId, () => api.post(`/api/cases/${caseId}/visits`, users.anna, body));
    expectInvalid(answer, 'householdMet', 'concerns', 'notez');
  });

  it.each(['not-a-uuid', '12345', `${SECRET}`])('refuses the case id %s in the path, naming it', async (id) => {
    const answer = await expectNothingWritten(api, null, () => api.post(`/api/cases/${id}/visits`, users.anna, caseRoutes().visits));
    expectInvalid(answer, 'id');
  });

  it('refuses a body that does not match its Content-Encoding (400, not 500)', async () => {
    const answer = await expectNothingWritten(api, null, () =>
      api.request('POST', '/api/cases', { token: users.anna, raw: JSON.stringify(named()), headers: { 'content-encoding': 'gzip' } }),
    );
    expectInvalid(answer, 'body');
  });

  it('answers 415 for a charset it cannot read', async () => {
    const answer = await expectNothingWritten(api, null, () =>
      api.request('POST', '/api/cases', {
        token: users.anna,
        raw: JSON.stringify(named()),
        headers: { 'content-type': 'application/json; charset=latin1' },
      }),
    );
    expectProblem(answer, 415, 'unsupported-media-type');
  });

  it.each(['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'answers 415 unsupported-media-type to a %s body on every route that takes JSON, writing nothing',
    async (contentType) => {
      const { caseId, householdId } = await activeCase(api);
      const routes = jsonBodyRoutes({ id: caseId, householdId, year: '2025' });
      expect(routes.length).toBeGreaterThanOrEqual(17);
      for (const { method, path, token } of routes) {
        const answer = await expectNothingWritten(api, caseId, () =>
          api.request(method, path, { token, raw: JSON.stringify(named()), headers: { 'content-type': contentType } }),
        );
        expect({ path, status: answer.status }).toEqual({ path, status: 415 });
        expectProblem(answer, 415, 'unsupported-media-type');
        expect(answer.text).not.toContain(SECRET);
      }
    },
  );

  it('answers 415 to a body without a Content-Type, and still 400 to an empty body of another type', async () => {
    const { caseId } = await activeCase(api);
    const untyped = await expectNothingWritten(api, caseId, async () => {
      const response = await fetch(`${api.baseUrl}/api/cases/${caseId}/visits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${users.anna}` },
        body: new TextEncoder().encode(JSON.stringify(caseRoutes().visits)),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
    });
    expectProblem(untyped, 415, 'unsupported-media-type');
    const empty = await expectNothingWritten(api, caseId, () =>
      api.request('POST', `/api/cases/${caseId}/visits`, { token: users.anna, raw: '', headers: { 'content-type': 'text/plain' } }),
    );
    expectInvalid(empty, 'visitedOn', 'householdMet');
  });

  it('checks the token before the media type: 401 without one, 403 for a role the route does not allow', async () => {
    const raw = JSON.stringify(caseRoutes().visits);
    const headers = { 'content-type': 'text/plain' };
    const { caseId } = await activeCase(api);
    expectProblem(await api.request('POST', `/api/cases/${caseId}/visits`, { raw, headers }), 401, 'unauthorized');
    expectProblem(await api.request('POST', `/api/cases/${caseId}/visits`, { token: users.evaluator, raw, headers }), 403, 'forbidden');
  });

  it.each(['abc', '"-1"', '"1.5"', '*', ''])('refuses If-Match %p', async (ifMatch) => {
    const { caseId } = await activeCase(api);
    const answer = await expectNothingWritten(api, caseId, () =>
      api.post(`/api/cases/${caseId}/visits`, users.anna, caseRoutes().visits, { 'if-match': ifMatch }),
    );
    expectInvalid(answer, 'If-Match');
  });

  it('refuses an Idempotency-Key over 128 characters, and takes one of exactly 128', async () => {
    const { caseId } = await activeCase(api);
    const visit = (key: string) => api.post(`/api/cases/${caseId}/visits`, users.anna, caseRoutes().visits, { 'idempotency-key': key });
    expectInvalid(await expectNothingWritten(api, caseId, () => visit('k'.repeat(129))), 'Idempotency-Key');
    expectInvalid(await expectNothingWritten(api, caseId, () => visit('with space')), 'Idempotency-Key');
    expect((await visit('k'.repeat(128))).status).toBe(200);
  });

  it('answers 413 payload-too-large for a body over 64 KiB', async () => {
    const raw = JSON.stringify(named({ notes: SECRET.repeat(Math.ceil((65 * 1024) / SECRET.length)) }));
    expect(Buffer.byteLength(raw)).toBeGreaterThan(64 * 1024);
    const answer = await expectNothingWritten(api, null, () => api.request('POST', '/api/cases', { token: users.anna, raw }));
    expectProblem(answer, 413, 'payload-too-large');
    expect(answer.text).not.toContain(SECRET);
  });

  it('takes a body just under 64 KiB to validation (notes too long: 400, not 413)', async () => {
    const raw = JSON.stringify(named({ notes: 'x'.repeat(60 * 1024) }));
    const answer = await expectNothingWritten(api, null, () => api.request('POST', '/api/cases', { token: users.anna, raw }));
    expectInvalid(answer, 'notes');
  });

  it('refuses a body nested 20,000 levels deep with 400, not a 500 from the validator', async () => {
    const raw = `{"household":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const answer = await expectNothingWritten(api, null, () => api.request('POST', '/api/cases', { token: users.anna, raw }));
    expectInvalid(answer, 'body');
  });

  it('refuses a body nested just over 32 levels, and still validates one of normal depth', async () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'x' : { a: nest(levels - 1) });
    expectInvalid(await api.post('/api/cases', users.anna, named({ notes: nest(32) })), 'body');
    expectInvalid(await api.post('/api/cases', users.anna, named({ notes: nest(3) })), 'notes');
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'refuses the key %s in a body, at the top and nested, like any unknown field',
    async (key) => {
      const { caseId } = await activeCase(api);
      const top = `{"visitedOn":"${caseRoutes().visits.visitedOn}","householdMet":true,"${key}":{"x":1}}`;
      expectInvalid(
        await expectNothingWritten(api, caseId, () => api.request('POST', `/api/cases/${caseId}/visits`, { token: users.anna, raw: top })),
        key,
      );
      const nested = JSON.stringify(named()).replace('"household":{', `"household":{"${key}":"${SECRET}",`);
      expectInvalid(
        await expectNothingWritten(api, null, () => api.request('POST', '/api/cases', { token: users.anna, raw: nested })),
        `household.${key}`,
      );
    },
  );

  it.each(['__proto__', 'constructor', 'toString'])('refuses the key %s in a query string', async (key) => {
    expectInvalid(await api.request('GET', `/api/caseload?${key}=1`, { token: users.anna }), key);
    expectInvalid(await api.request('GET', `/api/admin/access-log?${key}=1`, { token: users.admin }), key);
  });
});
