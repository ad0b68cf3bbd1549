import { caseRoutes, referral, today } from './fixtures';
import { activeCase, closedCase, createCase, expectNothingWritten, TestApi, token, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';

/**
 * Every route of API.md × every caller. The expected statuses are copied from API.md's role
 * columns ("caseworker (own)" included), not from the controllers: a decorator that drifts from the
 * contract fails here. Each allowed call runs on a case in the state the command needs, so its
 * success status is the real one; each refusal must leave the log untouched.
 */
const COLUMNS = ['caseworker', 'fachstelle', 'evaluator', 'admin', 'no token', 'expired', 'wrong signature', 'other caseworker'] as const;
type Column = (typeof COLUMNS)[number];

type Row = readonly [
  route: string,
  caseworker: number,
  fachstelle: number,
  evaluator: number,
  admin: number,
  noToken: number,
  expired: number,
  wrongSignature: number,
  otherCaseworker: number,
];

// "caseworker" is anna, to whom every case here is assigned (or who recorded the referral);
// "other caseworker" is ben: a case outside his caseload is 404, as if it did not exist (API.md's 403
// "caseload does not allow it" stays for the caseload of another caseworker, which names no case).
// "expired" and "wrong signature" carry a role the route allows.
// Every route of API.md, plus the access-log export (docs/access-log.md), which API.md does not list.
const MATRIX: readonly Row[] = [
  // route                                                 cw   fs   ev   adm  none exp  sig  other
  ['POST /api/cases', 201, 201, 403, 403, 401, 401, 401, 201],
  ['POST /api/cases/{id}/approval', 403, 200, 403, 403, 401, 401, 401, 403],
  ['POST /api/cases/{id}/rejection', 403, 200, 403, 403, 401, 401, 401, 403],
  ['POST /api/cases/{id}/visits', 200, 403, 403, 403, 401, 401, 401, 404],
  ['POST /api/cases/{id}/mediations', 200, 403, 403, 403, 401, 401, 401, 404],
  ['POST /api/cases/{id}/housing-secured', 200, 403, 403, 403, 401, 401, 401, 404],
  ['POST /api/cases/{id}/extension', 403, 200, 403, 403, 401, 401, 401, 403],
  ['POST /api/cases/{id}/reassignment', 403, 200, 403, 403, 401, 401, 401, 403],
  ['POST /api/cases/{id}/closure', 200, 200, 403, 403, 401, 401, 401, 404],
  ['POST /api/cases/{id}/help-plan', 200, 403, 403, 403, 401, 401, 401, 404],
  ['POST /api/cases/{id}/goal-reviews', 200, 403, 403, 403, 401, 401, 401, 404],
  ['POST /api/cases/{id}/household-details', 200, 200, 403, 403, 401, 401, 401, 404],
  ['DELETE /api/households/{householdId}/personal-data', 403, 403, 403, 204, 401, 401, 401, 403],
  ['POST /api/households/{householdId}/restriction', 403, 200, 403, 403, 401, 401, 401, 403],
  ['DELETE /api/households/{householdId}/restriction', 403, 200, 403, 403, 401, 401, 401, 403],
  ['GET /api/households/{householdId}/access-report', 403, 200, 403, 403, 401, 401, 401, 403],
  ['GET /api/cases/{id}', 200, 200, 403, 403, 401, 401, 401, 404],
  ['GET /api/cases/{id}/timeline', 200, 200, 403, 403, 401, 401, 401, 404],
  ['GET /api/caseload?caseworkerId=anna', 200, 200, 403, 403, 401, 401, 401, 403],
  ['POST /api/caseload/search', 200, 200, 403, 403, 401, 401, 401, 403],
  ['GET /api/agenda', 200, 200, 403, 403, 401, 401, 401, 200],
  ['GET /api/evaluation/statistics?from={from}&to={to}', 403, 200, 200, 403, 401, 401, 401, 403],
  ['GET /api/evaluation/annual-report/{year}', 403, 403, 200, 403, 401, 401, 401, 403],
  ['GET /api/evaluation/report?from={from}&to={to}', 403, 403, 200, 403, 401, 401, 401, 403],
  ['GET /api/evaluation/cases?from={from}&to={to}', 403, 403, 200, 403, 401, 401, 401, 403],
  ['GET /health', 200, 200, 200, 200, 200, 200, 200, 200],
  ['GET /metrics', 200, 200, 200, 200, 200, 200, 200, 200],
  ['GET /api/admin/projections', 403, 403, 403, 200, 401, 401, 401, 403],
  ['POST /api/admin/projections/{name}/rebuild', 403, 403, 403, 202, 401, 401, 401, 403],
  ['GET /api/admin/projections/{name}/rebuild', 403, 403, 403, 200, 401, 401, 401, 403],
  ['DELETE /api/admin/projections/{name}/rebuild', 403, 403, 403, 200, 401, 401, 401, 403],
  ['GET /api/admin/access-log', 403, 403, 403, 200, 401, 401, 401, 403],
];

type Setup = 'nothing' | 'referred' | 'active' | 'planned' | 'closed' | 'rebuild started';
/** What each route needs to succeed for an allowed caller: the state of its case and a valid body. */
const REQUESTS: Record<string, { setup: Setup; body?: () => unknown }> = {
  'POST /api/cases': { setup: 'nothing', body: () => referral() },
  'POST /api/cases/{id}/approval': { setup: 'referred', body: () => caseRoutes().approval },
  'POST /api/cases/{id}/rejection': { setup: 'referred', body: () => caseRoutes().rejection },
  'POST /api/cases/{id}/visits': { setup: 'active', body: () => caseRoutes().visits },
  'POST /api/cases/{id}/mediations': { setup: 'active', body: () => caseRoutes().mediations },
  'POST /api/cases/{id}/housing-secured': { setup: 'active', body: () => caseRoutes()['housing-secured'] },
  'POST /api/cases/{id}/extension': { setup: 'active', body: () => caseRoutes().extension },
  'POST /api/cases/{id}/reassignment': { setup: 'active', body: () => caseRoutes().reassignment },
  'POST /api/cases/{id}/closure': { setup: 'active', body: () => caseRoutes().closure },
  'POST /api/cases/{id}/help-plan': { setup: 'active', body: () => HELP_PLAN },
  'POST /api/cases/{id}/goal-reviews': {
    setup: 'planned',
    body: () => ({ reviewedOn: today(), goalId: GOAL_ID, status: 'in_progress', householdView: 'partly' }),
  },
  'POST /api/cases/{id}/household-details': {
    setup: 'active',
    body: () => ({ changedOn: today(), reason: 'new_phone', household: { phone: '0221 555 0199' } }),
  },
  'DELETE /api/households/{householdId}/personal-data': { setup: 'closed' },
  'POST /api/households/{householdId}/restriction': {
    setup: 'active',
    body: () => ({ restrictedOn: today(), reason: 'accuracy_contested' }),
  },
  'DELETE /api/households/{householdId}/restriction': { setup: 'active' },
  'GET /api/households/{householdId}/access-report': { setup: 'active' },
  'POST /api/caseload/search': { setup: 'nothing', body: () => ({ caseworkerId: 'anna', q: 'Testfall' }) },
  'GET /api/cases/{id}': { setup: 'active' },
  'GET /api/cases/{id}/timeline': { setup: 'active' },
  'GET /api/admin/projections/{name}/rebuild': { setup: 'rebuild started' },
  'DELETE /api/admin/projections/{name}/rebuild': { setup: 'rebuild started' },
};

// The plan of the 'planned' setup: one goal under a fixed id, reviewed in the goal-reviews row.
const GOAL_ID = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const HELP_PLAN = {
  agreedOn: today(),
  householdParticipated: true,
  goals: [{ goalId: GOAL_ID, area: 'housing', actor: 'together', reviewOn: today(), wording: 'Wohnung erhalten' }],
};

const statusAt = (row: Row, column: Column): number => row[COLUMNS.indexOf(column) + 1] as number;

const ANOTHER_SECRET = 'not-the-api-secret-but-just-as-long-0123456789';
const ROLE_OF: Partial<Record<Column, string>> = {
  caseworker: 'caseworker',
  fachstelle: 'fachstelle',
  evaluator: 'evaluator',
  admin: 'admin',
};
const SUBJECT_OF: Partial<Record<Column, string>> = {
  caseworker: 'anna',
  fachstelle: 'fs-1',
  evaluator: 'eva',
  admin: 'adm',
  'other caseworker': 'ben',
};

/** The bearer of a column; a broken token carries the first role the row allows, so only the token is at fault. */
function bearerOf(column: Column, row: Row): string | undefined {
  if (column === 'no token') return undefined;
  if (column === 'other caseworker') return token('ben', ['caseworker']);
  if (column === 'expired' || column === 'wrong signature') {
    const allowed = COLUMNS.slice(0, 4).find((c) => statusAt(row, c) < 300) ?? 'admin';
    const sub = SUBJECT_OF[allowed] as string;
    return column === 'expired' ? token(sub, [allowed], { expiresIn: -60 }) : token(sub, [allowed], { secret: ANOTHER_SECRET });
  }
  return token(SUBJECT_OF[column] as string, [ROLE_OF[column] as string]);
}

describe('authorization matrix (API.md roles × routes)', () => {
  let api: TestApi;
  const fachstelle = token('fs-1', ['fachstelle']);
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  async function prepare(setup: Setup): Promise<Record<string, string>> {
    const ids = { from: `${today().slice(0, 4)}-01-01`, to: today(), year: today().slice(0, 4), name: 'timeline' };
    if (setup === 'rebuild started') {
      const started = await api.request('POST', '/api/admin/projections/timeline/rebuild', { token: token('adm', ['admin']) });
      if (started.status !== 202) throw new Error(`rebuild refused: ${started.status}`);
    }
    if (setup === 'nothing' || setup === 'rebuild started') return ids;
    const made = setup === 'referred' ? await createCase(api) : setup === 'closed' ? await closedCase(api) : await activeCase(api);
    if (setup === 'planned') {
      const planned = await api.post(`/api/cases/${made.caseId}/help-plan`, token('anna', ['caseworker']), HELP_PLAN);
      if (planned.status !== 200) throw new Error(`help plan refused: ${planned.status}`);
    }
    return { ...ids, id: made.caseId, householdId: made.householdId, minPosition: String(await api.store.headPosition()) };
  }

  async function call(row: Row, column: Column): Promise<Answer> {
    const [method, template] = row[0].split(' ');
    const request = REQUESTS[row[0]] ?? { setup: 'nothing' };
    const ids = await prepare(request.setup);
    let path = template.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name]);
    // Queries of a case read the projection: wait for the setup's writes (API.md "read your writes").
    // The access report reads the log itself and takes no minPosition.
    if (method === 'GET' && ids.id && template.includes('{id}')) path += `${path.includes('?') ? '&' : '?'}minPosition=${ids.minPosition}`;
    const send = () => api.request(method, path, { token: bearerOf(column, row), body: request.body?.() });
    const expected = statusAt(row, column);
    return expected < 300 ? send() : expectNothingWritten(api, ids.id ?? null, send);
  }

  it('covers every route of API.md once, every caller, and nothing else', () => {
    expect(MATRIX.map((row) => row.length)).toEqual(MATRIX.map(() => COLUMNS.length + 1));
    expect(new Set(MATRIX.map(([route]) => route)).size).toBe(MATRIX.length);
    expect(Object.keys(REQUESTS).filter((route) => !MATRIX.some(([r]) => r === route))).toEqual([]);
  });

  describe.each(MATRIX.map((row) => [row[0], row] as const))('%s', (_route, row) => {
    it.each(COLUMNS.map((column) => [column, statusAt(row, column)] as const))('%s → %i', async (column, expected) => {
      const answer = await call(row, column);
      expect({ status: answer.status, answer: answer.text }).toMatchObject({ status: expected });
      if (expected >= 400) expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });

  it('lets the Fachstelle read a case that the caseworker column wrote (the setup is real)', async () => {
    const ids = await prepare('active');
    const read = await api.request('GET', `/api/cases/${ids.id}?minPosition=${ids.minPosition}`, { token: fachstelle });
    expect(read.body).toMatchObject({ caseId: ids.id, status: 'active', assignedCaseworkerId: 'anna' });
  });
});
