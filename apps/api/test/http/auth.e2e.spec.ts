import { JwtService } from '@nestjs/jwt';
import { caseRoutes, referral, today, type CaseRoute } from './fixtures';
import { activeCase, createCase, expectNothingWritten, expectProblem, SECRET, TestApi, token, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';

const ROLES = ['caseworker', 'fachstelle', 'evaluator', 'admin'] as const;
type Role = (typeof ROLES)[number];

/** API.md "Commands": the roles each command route allows. */
const ALLOWED: Record<'referral' | CaseRoute, Role[]> = {
  referral: ['caseworker', 'fachstelle'],
  approval: ['fachstelle'],
  rejection: ['fachstelle'],
  visits: ['caseworker'],
  mediations: ['caseworker'],
  'housing-secured': ['caseworker'],
  extension: ['fachstelle'],
  reassignment: ['fachstelle'],
  closure: ['caseworker', 'fachstelle'],
};

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'anna', roles: ['caseworker'] })}.`;

describe('authentication and authorisation over HTTP', () => {
  let api: TestApi;
  let caseId: string;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
    ({ caseId } = await activeCase(api));
  });
  afterAll(() => api.stop());

  describe('401 unauthorized', () => {
    it.each([
      ['no Authorization header', undefined],
      ['a Basic header', 'Basic YW5uYTpzZWNyZXQ='],
      ['a bearer without token', 'Bearer '],
      ['a token without the Bearer scheme', users.anna],
      ['a bearer of garbage', 'Bearer not.a.jwt'],
      [
        'a token signed with another secret',
        `Bearer ${token('anna', ['caseworker'], { secret: 'another-secret-of-sufficient-length-000' })}`,
      ],
      ['an expired token', `Bearer ${token('anna', ['caseworker'], { expiresIn: -10 })}`],
      ['an unsigned token (alg none)', `Bearer ${unsigned}`],
      ['a token without subject', `Bearer ${new JwtService({ secret: SECRET }).sign({ roles: ['caseworker'] }, { expiresIn: 3600 })}`],
      ['a token without exp', `Bearer ${new JwtService({ secret: SECRET }).sign({ sub: 'anna', roles: ['caseworker'] })}`],
      ['a token valid for 100 years', `Bearer ${token('anna', ['caseworker'], { expiresIn: 100 * 365 * 24 * 3600 })}`],
      ['a token valid for 13 hours', `Bearer ${token('anna', ['caseworker'], { expiresIn: 13 * 3600 })}`],
    ])('with %s', async (_label, authorization) => {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const answer = await expectNothingWritten(api, caseId, () =>
        api.request('POST', `/api/cases/${caseId}/visits`, { body: caseRoutes().visits, headers }),
      );
      expectProblem(answer, 401, 'unauthorized');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('says when the token has expired', async () => {
      const answer = await expectNothingWritten(api, caseId, () =>
        api.post(`/api/cases/${caseId}/visits`, token('anna', ['caseworker'], { expiresIn: -10 }), caseRoutes().visits),
      );
      expectProblem(answer, 401, 'unauthorized');
      expect(answer.body.detail).toMatch(/expired/);
    });
  });

  describe('403 for a role the route does not allow', () => {
    const refusals = Object.entries(ALLOWED).flatMap(([route, allowed]) =>
      ROLES.filter((role) => !allowed.includes(role)).map((role) => [route, role] as [keyof typeof ALLOWED, Role]),
    );

    it('covers every command route', () => {
      expect(new Set(refusals.map(([route]) => route))).toEqual(new Set(Object.keys(ALLOWED)));
    });

    it.each(refusals)('refuses %s to the role %s', async (route, role) => {
      const path = route === 'referral' ? '/api/cases' : `/api/cases/${caseId}/${route}`;
      const body = route === 'referral' ? referral() : caseRoutes()[route];
      const answer = await expectNothingWritten(api, caseId, () => api.post(path, token(`${role}-user`, [role]), body));
      expectProblem(answer, 403, 'forbidden');
    });

    it.each([
      ['an empty roles claim', token('anna', [])],
      [
        'a roles claim that is not a list',
        new JwtService({ secret: SECRET }).sign({ sub: 'anna', roles: 'caseworker' }, { expiresIn: 3600 }),
      ],
      ['an unknown role', token('anna', ['superuser'])],
    ])('refuses a token with %s', async (_label, bearer) => {
      const answer = await expectNothingWritten(api, caseId, () => api.post(`/api/cases/${caseId}/visits`, bearer, caseRoutes().visits));
      expectProblem(answer, 403, 'forbidden');
    });

    it('lets a user with several roles act in the one the route allows', async () => {
      const answer = await api.post(`/api/cases/${caseId}/visits`, token('anna', ['evaluator', 'caseworker']), caseRoutes().visits);
      expect(answer.status).toBe(200);
    });
  });

  describe('404 case-not-found: a caseworker acts only on their own cases, and learns nothing about others', () => {
    const UNKNOWN = '0b7f6c8e-1111-4222-8333-444455556666';
    /** The answer without the case id, which the detail names. */
    const anonymous = (answer: { status: number; body: Record<string, unknown> }, id: string) => ({
      status: answer.status,
      body: JSON.parse(JSON.stringify(answer.body).replaceAll(id, '{id}')) as unknown,
    });

    it.each(['visits', 'mediations', 'housing-secured', 'closure'] as const)(
      "refuses %s on another caseworker's case exactly as on an unknown case",
      async (route) => {
        const answer = await expectNothingWritten(api, caseId, () =>
          api.post(`/api/cases/${caseId}/${route}`, users.ben, caseRoutes()[route]),
        );
        expectProblem(answer, 404, 'case-not-found');
        expect(anonymous(answer, caseId)).toEqual(
          anonymous(await api.post(`/api/cases/${UNKNOWN}/${route}`, users.ben, caseRoutes()[route]), UNKNOWN),
        );
      },
    );

    it.each(['"0"', '"1"', '"999"'])(
      'checks the caseload before If-Match %s: a stranger never learns the revision (no 412)',
      async (ifMatch) => {
        const answer = await expectNothingWritten(api, caseId, () =>
          api.post(`/api/cases/${caseId}/visits`, users.ben, caseRoutes().visits, { 'if-match': ifMatch }),
        );
        expectProblem(answer, 404, 'case-not-found');
      },
    );

    it.each(['', '/timeline'])('answers GET /api/cases/{id}%s of another caseworker exactly as for an unknown case', async (suffix) => {
      const stranger = await api.request('GET', `/api/cases/${caseId}${suffix}`, { token: users.ben });
      expectProblem(stranger, 404, 'case-not-found');
      const unknown = await api.request('GET', `/api/cases/${UNKNOWN}${suffix}`, { token: users.ben });
      expect(anonymous(stranger, caseId)).toEqual(anonymous(unknown, UNKNOWN));
    });

    it('refuses a referral recorded by another caseworker before approval', async () => {
      const referred = await createCase(api, {}, users.anna);
      const answer = await expectNothingWritten(api, referred.caseId, () =>
        api.post(`/api/cases/${referred.caseId}/closure`, users.ben, caseRoutes().closure),
      );
      expectProblem(answer, 404, 'case-not-found');
    });

    it('follows a reassignment: the new caseworker may, the old one may not', async () => {
      const moved = await activeCase(api);
      expect((await api.post(`/api/cases/${moved.caseId}/reassignment`, users.fachstelle, { caseworkerId: 'ben' })).status).toBe(200);
      expectProblem(
        await expectNothingWritten(api, moved.caseId, () => api.post(`/api/cases/${moved.caseId}/visits`, users.anna, caseRoutes().visits)),
        404,
        'case-not-found',
      );
      expect((await api.post(`/api/cases/${moved.caseId}/visits`, users.ben, caseRoutes().visits)).status).toBe(200);
    });
  });

  describe('GET /health', () => {
    it.each([
      ['without a token', {}],
      ['with an invalid token', { authorization: 'Bearer not.a.jwt' }],
    ])('answers 200 %s, reporting the event store up', async (_label, headers) => {
      const answer = await api.request('GET', '/health', { headers });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' } } });
    });
  });
});

describe('a user with several roles', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  it('acts in the widest allowed role, whatever the order of the roles claim', async () => {
    const { caseId } = await activeCase(api);
    const both = token('fs-9', ['caseworker', 'fachstelle']);
    const closed = await api.post(`/api/cases/${caseId}/closure`, both, {
      closedOn: today(),
      reason: 'moved_away',
      housingAtClose: 'unknown',
    });
    expect(closed.status).toBe(200);
    const [, , closure] = await api.store.readStream(`case-${caseId}`);
    expect(closure.metadata).toMatchObject({ userId: 'fs-9', role: 'fachstelle' });
  });

  describe('separation of duties: admin never together with a case role', () => {
    const from = `${today().slice(0, 4)}-01-01`;
    it.each([
      [['admin', 'caseworker'], 'GET', '/api/caseload'],
      [['caseworker', 'admin'], 'GET', `/api/admin/access-log?from=${from}&to=${today()}`],
      [['admin', 'fachstelle'], 'GET', '/api/caseload'],
      [['fachstelle', 'admin'], 'GET', '/api/admin/projections'],
      [['admin', 'evaluator', 'caseworker'], 'GET', '/api/evaluation/cases?from=2025-01-01&to=2025-12-31'],
    ])('refuses a token with %j on %s %s (403 conflicting-roles)', async (roles, method, path) => {
      const answer = await api.request(method, path, { token: token('mixed', roles) });
      expectProblem(answer, 403, 'conflicting-roles');
    });

    it('refuses a command of such a token and writes nothing', async () => {
      const { caseId } = await activeCase(api);
      const answer = await expectNothingWritten(api, caseId, () =>
        api.post(`/api/cases/${caseId}/visits`, token('anna', ['caseworker', 'admin']), caseRoutes().visits),
      );
      expectProblem(answer, 403, 'conflicting-roles');
    });

    it('lets admin go with evaluator (no case content in either)', async () => {
      const both = token('adm-eva', ['admin', 'evaluator']);
      expect((await api.request('GET', `/api/admin/access-log?from=${from}&to=${today()}`, { token: both })).status).toBe(200);
      expect((await api.request('GET', `/api/evaluation/statistics?from=${from}&to=${today()}`, { token: both })).status).toBe(200);
    });
  });
});
