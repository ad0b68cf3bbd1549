import { TestApi, users } from './harness';

/** The command routes of API.md ("Commands"), as OpenAPI paths, with the success status each answers. */
const CASE_COMMANDS = [
  'approval',
  'rejection',
  'visits',
  'mediations',
  'housing-secured',
  'extension',
  'reassignment',
  'closure',
  'help-plan',
  'goal-reviews',
  'household-details',
];
const COMMANDS: [method: string, path: string, success: string][] = [
  ['post', '/api/cases', '201'],
  ['post', '/api/activities', '201'],
  ...CASE_COMMANDS.map((route): [string, string, string] => ['post', `/api/cases/{id}/${route}`, '200']),
  ['put', '/api/evaluation/annual-report/{year}/text/{section}', '200'],
  ['post', '/api/evaluation/annual-report/{year}/finalisation', '200'],
];
const ERASURE: [string, string, string] = ['delete', '/api/households/{householdId}/personal-data', '204'];
/** The restriction of processing (API.md): a household's, not a case's; no Idempotency-Key (a repeat appends nothing). */
const RESTRICTION: [string, string, string][] = [
  ['post', '/api/households/{householdId}/restriction', '200'],
  ['delete', '/api/households/{householdId}/restriction', '200'],
];
/** The other write routes of API.md ("Operations"). */
const OPERATIONS: [string, string, string][] = [
  ['post', '/api/admin/projections/{name}/rebuild', '202'],
  ['delete', '/api/admin/projections/{name}/rebuild', '200'],
  // Parked events: admins retry or skip them (docs/projections.md, docs/operations.md).
  ['post', '/api/admin/projections/{name}/parked/{key}/retry', '202'],
  ['post', '/api/admin/projections/{name}/parked/{key}/skip', '202'],
];

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, unknown>;
  security?: Record<string, unknown>[];
}

describe('the OpenAPI document and its viewer', () => {
  let api: TestApi;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document, inspected path by path
  let document: any;
  beforeAll(async () => {
    api = await TestApi.start();
    const answer = await api.request('GET', '/api/openapi.json', { token: users.evaluator });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    document = answer.body;
  });
  afterAll(() => api.stop());

  const operation = (method: string, path: string): Operation | undefined => document.paths?.[path]?.[method];

  it('is an OpenAPI 3 document that declares bearer authentication', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.values(document.components.securitySchemes)).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });

  it.each(COMMANDS)('lists %s %s with its body, success status, bearer security and Idempotency-Key', (method, path, success) => {
    const op = operation(method, path);
    expect(op).toBeDefined();
    expect(Object.keys(op?.responses ?? {})).toContain(success);
    expect(op?.requestBody?.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\/\w+Dto$/);
    expect(op?.security).toEqual(expect.arrayContaining([expect.objectContaining({ bearer: [] })]));
    expect(op?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
  });

  it.each(CASE_COMMANDS)('documents the case id and If-Match on %s', (route) => {
    expect(operation('post', `/api/cases/{id}/${route}`)?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'id', in: 'path' }),
        expect.objectContaining({ name: 'If-Match', in: 'header' }),
      ]),
    );
  });

  it('lists no write route that API.md does not name', () => {
    // The caseload search is a query sent by POST (its criteria stay out of the URL): it writes nothing.
    const named = [...COMMANDS, ERASURE, ...RESTRICTION, ...OPERATIONS, ['post', '/api/caseload/search']].map(
      ([method, path]) => `${method} ${path}`,
    );
    const listed = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => m !== 'get')
        .map((method) => `${method} ${path}`),
    );
    expect(listed.filter((route) => !named.includes(route))).toEqual([]);
  });

  it('serves the viewer at /api/docs as HTML whose assets load', async () => {
    const page = await api.request('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toMatch(/<html/i);
    const assets = [...page.text.matchAll(/(?:href|src)="\.\/(docs\/[^"]+\.(?:css|js))"/g)].map((m) => `/api/${m[1]}`);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect({ asset, status: (await api.request('GET', asset)).status }).toEqual({ asset, status: 200 });
  });
});
