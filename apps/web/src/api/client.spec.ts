/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import { configureClient, request, urlOf } from './client';
import { ApiError, describeError } from './problem';
import { json, stubFetch, type SentRequest } from '../testing/fetch';

/** The typed calls: what reaches the network for a route of the document, and how its refusals come back. */
let sent: SentRequest[];
let answers: (Response | Error)[];
let token: string | null;
let unauthorized: jest.Mock;

const CASE = '0b7f6c8e-1111-4222-8333-444455556666';
const problem = (status: number, code: string) =>
  json(status, { type: `/problems/${code}`, title: code, status, detail: code, code }, 'application/problem+json');

beforeEach(() => {
  token = 'token-1';
  unauthorized = jest.fn();
  configureClient({ token: () => token, unauthorized });
  ({ sent, answers } = stubFetch());
});

it('fills the route with its encoded path parameters and leaves out empty query values', () => {
  expect(urlOf('/api/admin/projections/{name}/parked/{key}/retry', { path: { name: 'cases', key: 'a/b c' } })).toBe(
    '/api/admin/projections/cases/parked/a%2Fb%20c/retry',
  );
  expect(
    urlOf('/api/evaluation/cases', { query: { from: '2025-01-01', to: '2025-12-31', asOf: '', format: 'csv', separator: undefined } }),
  ).toBe('/api/evaluation/cases?from=2025-01-01&to=2025-12-31&format=csv');
});

it('sends a read with the token and answers its JSON', async () => {
  answers.push(json(200, { caseId: CASE, items: [] }));
  const timeline = await request('get', '/api/cases/{id}/timeline', { path: { id: CASE }, query: { minPosition: '42' } });
  expect(timeline.items).toEqual([]);
  expect(sent).toEqual([
    {
      url: `/api/cases/${CASE}/timeline?minPosition=42`,
      method: 'GET',
      headers: { accept: 'application/json', authorization: 'Bearer token-1' },
      body: undefined,
    },
  ]);
});

it('sends a command with its body, If-Match as the quoted revision and the Idempotency-Key', async () => {
  answers.push(json(200, { caseId: CASE, revision: 4, position: '12' }));
  const answer = await request('post', '/api/cases/{id}/reassignment', {
    path: { id: CASE },
    body: { caseworkerId: 'bernd' },
    ifMatch: 3,
    idempotencyKey: 'key-1',
  });
  expect(answer).toEqual({ caseId: CASE, revision: 4, position: '12' });
  expect(sent[0]).toEqual({
    url: `/api/cases/${CASE}/reassignment`,
    method: 'POST',
    headers: {
      accept: 'application/json',
      authorization: 'Bearer token-1',
      'content-type': 'application/json',
      'if-match': '"3"',
      'idempotency-key': 'key-1',
    },
    body: { caseworkerId: 'bernd' },
  });
});

it('answers undefined for 204', async () => {
  answers.push(new Response(null, { status: 204 }));
  await expect(request('delete', '/api/households/{householdId}/personal-data', { path: { householdId: CASE } })).resolves.toBeUndefined();
  expect(sent[0]).toMatchObject({ url: `/api/households/${CASE}/personal-data`, method: 'DELETE' });
});

it('describes an unknown case by its status, whichever 404 code the API gives it', async () => {
  const messages: string[] = [];
  for (const code of ['not-found', 'case-not-found']) {
    answers.push(problem(404, code));
    const error = await request('get', '/api/cases/{id}', { path: { id: CASE } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code });
    messages.push(describeError(error));
  }
  expect(messages[0]).toBe('Nicht gefunden (oder der Fall gehört nicht zu Ihren Fällen).');
  expect(messages[1]).toBe(messages[0]);
});

it('ends the session on 401 when it sent a token, and keeps the problem', async () => {
  answers.push(problem(401, 'unauthorized'));
  await expect(request('get', '/api/admin/projections')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  expect(unauthorized).toHaveBeenCalledTimes(1);

  token = null;
  answers.push(problem(401, 'unauthorized'));
  await expect(request('get', '/api/admin/projections')).rejects.toMatchObject({ status: 401 });
  expect(sent[1].headers.authorization).toBeUndefined();
  expect(unauthorized).toHaveBeenCalledTimes(1);
});

it('turns no answer at all into status 0, and an answer without a problem body into a problem of null', async () => {
  (global.fetch as jest.Mock).mockImplementationOnce(async () => {
    throw new TypeError('Failed to fetch');
  });
  await expect(request('get', '/api/ui-config')).rejects.toMatchObject({ status: 0, problem: null });
  answers.push(new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
  await expect(request('get', '/api/ui-config')).rejects.toMatchObject({ status: 502, problem: null });
});

// Checked by the compiler (`tsc -p apps/web/tsconfig.json`), never run: what the document does not declare does not compile.
export async function _undeclaredCallsDoNotCompile() {
  const detail = await request('get', '/api/cases/{id}', { path: { id: CASE } });
  // @ts-expect-error the answer is the case detail, whose household may be withheld (no name then)
  void detail.household.name;
  // @ts-expect-error a route the document does not have
  void request('get', '/api/cases/{id}/notes', { path: { id: CASE } });
  // @ts-expect-error the path parameter is missing
  void request('get', '/api/cases/{id}');
  // @ts-expect-error a body field the document does not declare
  void request('post', '/api/cases/{id}/reassignment', { path: { id: CASE }, body: { caseworker: 'bernd' } });
  // @ts-expect-error If-Match on a route that declares none
  void request('get', '/api/cases/{id}', { path: { id: CASE }, ifMatch: 3 });
  // @ts-expect-error a code the document's enum does not have
  void request('post', '/api/cases/{id}/extension', { path: { id: CASE }, body: { plannedEndOn: '2026-01-01', reason: 'because' } });
}
