import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractProblems, DOCUMENT_PATH } from './contract';
import { approval, referral } from './fixtures';
import { TestApi, users } from './harness';

const ROOT = join(__dirname, '..', '..', '..', '..');
/** The document as committed: stable JSON, two spaces, a final newline. */
const serialised = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

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
  parameters?: { name: string; in: string; schema?: { format?: string } }[];
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

  it('is the committed docs/openapi.json (UPDATE_OPENAPI=1 rewrites it)', () => {
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(DOCUMENT_PATH, serialised(document));
    expect(existsSync(DOCUMENT_PATH)).toBe(true);
    expect(readFileSync(DOCUMENT_PATH, 'utf8')).toBe(serialised(document));
  });

  it("passes Redocly's recommended rules without an error or a warning", () => {
    const cli = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    // redocly.yaml (at the root) says which rules are off and why; the CLI exits non-zero on an error.
    let output: string;
    try {
      output = execFileSync(process.execPath, [cli, 'lint', DOCUMENT_PATH, '--format=json'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      output = String((error as { stdout?: unknown }).stdout);
    }
    const { totals, problems } = JSON.parse(output) as { totals: Record<string, number>; problems: { ruleId: string; message: string }[] };
    expect(problems.map(({ ruleId, message }) => `${ruleId}: ${message}`)).toEqual([]);
    expect(totals).toEqual(expect.objectContaining({ errors: 0, warnings: 0 }));
  });

  it('declares the problems of a missing or bad token on every operation that needs one', () => {
    const unauthorised = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.security === undefined || op.security.length > 0)
        .filter(([, op]) => !op.responses['401'] || !op.responses['403'])
        .map(([method]) => `${method} ${path}`),
    );
    expect(unauthorised).toEqual([]);
  });

  it('declares 415 on every operation that takes a JSON body, and 400 on every operation with a UUID in its path', () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method} ${path}`, op })),
    );
    const withBody = operations.filter(({ op }) => op.requestBody !== undefined);
    expect(withBody.length).toBeGreaterThanOrEqual(17);
    expect(withBody.filter(({ op }) => !op.responses['415']).map(({ route }) => route)).toEqual([]);
    const withUuid = operations.filter(({ op }) => op.parameters?.some((p) => p.in === 'path' && p.schema?.format === 'uuid'));
    expect(withUuid.map(({ route }) => route)).toEqual(
      expect.arrayContaining([
        'delete /api/households/{householdId}/personal-data',
        'post /api/households/{householdId}/restriction',
        'delete /api/households/{householdId}/restriction',
      ]),
    );
    expect(withUuid.filter(({ op }) => !op.responses['400']).map(({ route }) => route)).toEqual([]);
  });

  it('declares a problem+json answer with the one problem schema on every error status', () => {
    const statuses = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, op]) =>
        Object.entries(op.responses)
          .filter(([status]) => Number(status) >= 400 && !(path === '/health' && status === '503'))
          .map(([status, response]) => ({ route: `${method} ${path} ${status}`, content: (response as { content?: unknown }).content })),
      ),
    );
    expect(statuses.length).toBeGreaterThan(50);
    for (const { route, content } of statuses)
      expect({ route, content }).toEqual({
        route,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
      });
  });

  it('marks the public routes as needing no token and every other operation as needing one', () => {
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(operation('get', '/health')?.security).toEqual([]);
    expect(operation('get', '/api/ui-config')?.security).toEqual([]);
  });

  it('sends ETags only where they are revisions: none on the timeline, the caseload or the statistics', async () => {
    const { caseId } = (await api.post('/api/cases', users.anna, referral())).body;
    const { position } = (await api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval())).body;
    const detail = await api.request('GET', `/api/cases/${caseId}?minPosition=${position}`, { token: users.fachstelle });
    expect(detail.headers.get('etag')).toBe(`"${detail.body.revision}"`);
    const answers = await Promise.all([
      api.request('GET', `/api/cases/${caseId}/timeline?minPosition=${position}`, { token: users.fachstelle }),
      api.request('GET', '/api/caseload', { token: users.fachstelle }),
      api.request('GET', '/api/evaluation/statistics?from=2025-01-01&to=2025-12-31', { token: users.evaluator }),
      api.request('GET', '/api/cases/not-a-uuid', { token: users.fachstelle }),
    ]);
    expect(answers.map((answer) => [answer.status, answer.headers.get('etag')])).toEqual([
      [200, null],
      [200, null],
      [200, null],
      [400, null],
    ]);
  });

  it('has a contract check that refuses answers drifting from the document', async () => {
    const { caseId } = (await api.post('/api/cases', users.anna, referral())).body;
    const { position } = (await api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval())).body;
    const detail = await api.request('GET', `/api/cases/${caseId}?minPosition=${position}`, { token: users.fachstelle });
    const url = `/api/cases/${caseId}`;
    expect(contractProblems('GET', url, detail)).toEqual([]);
    const json = new Headers({ 'content-type': 'application/json; charset=utf-8' });
    const { overdue: _dropped, ...withoutOverdue } = detail.body;
    expect(contractProblems('GET', url, { ...detail, body: { ...withoutOverdue, adults: 1.5 } })).toEqual([
      "GET /api/cases/{id} 200: / must have required property 'overdue'",
      'GET /api/cases/{id} 200: /adults must be integer',
    ]);
    expect(contractProblems('GET', url, { ...detail, headers: new Headers({ 'content-type': 'text/html' }) })).toEqual([
      'GET /api/cases/{id} 200: media type text/html is not declared',
    ]);
    expect(contractProblems('GET', url, { ...detail, status: 418, headers: json })).toEqual([
      'GET /api/cases/{id}: status 418 is not declared',
    ]);
    expect(contractProblems('PATCH', url, { ...detail, status: 200 })).toEqual([`PATCH /api/cases/${caseId} is not in the document`]);
    const problem = { type: '/problems/x', title: 'x', status: 404, detail: 'x' };
    const problemHeaders = new Headers({ 'content-type': 'application/problem+json' });
    expect(contractProblems('GET', url, { status: 404, headers: problemHeaders, text: '{}', body: problem })).toEqual([
      "GET /api/cases/{id} 404: / must have required property 'code'",
    ]);
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
