import { replayFacts, startOfDayInCologne } from '@wih/application';
import { addDays } from '@wih/domain';
import {
  annualReport,
  anonymise,
  caseExportRows,
  comparisonPeriod,
  computeStatistics,
  periodicReport,
  type CaseExportRow,
} from '@wih/evaluation';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { approval, daysAgo, referral, today } from './fixtures';
import { createCase, expectProblem, TestApi, users, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';

/**
 * Evaluation over HTTP (API.md "Queries", DOMAIN.md "Evaluation"): the answers are the evaluation
 * library's results over the same log, the roles and validation rules hold, and asOf means "what
 * did we know then". The API answers from the live facts of its evaluation thread, as compiled
 * (built here), also for an earlier asOf (decision 0046): the expected figures are replayed on this
 * thread, so every comparison also shows that the thread's answer is the replay's.
 */
const root = resolve(__dirname, '../../../..');
const EVALUATION_WORKER = join(root, 'dist/apps/api/src/evaluation/evaluation-worker.js');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function ok(api: TestApi, path: string, token: string, body: unknown): Promise<Answer> {
  const answer = await api.post(path, token, body);
  if (answer.status !== 200) throw new Error(`${path} refused: ${answer.status} ${answer.text}`);
  return answer;
}

/** A case of anna's: referral, approval (interval 14), visits, mediation, then as `end` says. */
async function caseWith(
  api: TestApi,
  plan: {
    receivedDaysAgo: number;
    children?: number;
    householdId?: string;
    visitsDaysAgo?: number[];
    end?: 'secured-closed' | 'closed' | 'active';
    securedDaysAgo?: number;
    closedDaysAgo?: number;
  },
) {
  const received = plan.receivedDaysAgo;
  const created = await createCase(
    api,
    referral({
      receivedOn: daysAgo(received),
      children: plan.children ?? 1,
      ...(plan.householdId ? { householdId: plan.householdId } : {}),
    }),
  );
  const base = `/api/cases/${created.caseId}`;
  const approvedOn = daysAgo(received - 10);
  await ok(api, `${base}/approval`, users.fachstelle, approval({ approvedOn, plannedEndOn: addDays(approvedOn, 360) }));
  for (const ago of plan.visitsDaysAgo ?? [])
    await ok(api, `${base}/visits`, users.anna, { visitedOn: daysAgo(ago), householdMet: ago % 2 === 0 });
  await ok(api, `${base}/mediations`, users.anna, {
    mediatedOn: daysAgo(received - 12),
    kind: 'landlord',
    institutionKind: 'private_landlord',
  });
  if (plan.end === 'secured-closed') {
    await ok(api, `${base}/housing-secured`, users.anna, { securedOn: daysAgo(plan.securedDaysAgo ?? 40), outcome: 'tenancy_preserved' });
    await ok(api, `${base}/closure`, users.anna, {
      closedOn: daysAgo(plan.closedDaysAgo ?? 30),
      reason: 'goal_achieved',
      housingAtClose: 'own_tenancy',
    });
  } else if (plan.end === 'closed') {
    await ok(api, `${base}/closure`, users.anna, {
      closedOn: daysAgo(plan.closedDaysAgo ?? 20),
      reason: 'moved_away',
      housingAtClose: 'unknown',
    });
  }
  return created;
}

/** The library's published statistics over the API's own log, as known at `asOf`. */
async function expectedStatistics(api: TestApi, from: string, to: string, asOf: string) {
  return anonymise(computeStatistics(await replayFacts(api.store, asOf), { from, to, asOf }));
}

const withoutPseudonym = ({ pseudonym: _pseudonym, ...row }: CaseExportRow) => JSON.stringify(row);

describe('evaluation over HTTP', () => {
  let api: TestApi;
  const from = daysAgo(300);
  const to = today();
  const year = Number(today().slice(0, 4));
  const query = `from=${from}&to=${to}`;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root, stdio: 'pipe' });
    api = checkAnswersAgainstDocument(await TestApi.start(undefined, {}, { evaluationWorker: EVALUATION_WORKER }));
    // Closed long ago after HousingSecured: its 6-month window is complete; the household comes back.
    const early = await caseWith(api, {
      receivedDaysAgo: 290,
      visitsDaysAgo: [275, 262, 240],
      end: 'secured-closed',
      securedDaysAgo: 230,
      closedDaysAgo: 220,
    });
    await caseWith(api, { receivedDaysAgo: 120, householdId: early.householdId, visitsDaysAgo: [105], end: 'active' });
    for (let i = 0; i < 5; i++) {
      await caseWith(api, {
        receivedDaysAgo: 110 + i,
        children: i % 2,
        visitsDaysAgo: [95 - i, 85 - i, 50 - i],
        end: 'secured-closed',
        securedDaysAgo: 40,
        closedDaysAgo: 30 + i,
      });
    }
    for (let i = 0; i < 2; i++)
      await caseWith(api, { receivedDaysAgo: 100 + i, children: 0, visitsDaysAgo: [80], end: 'closed', closedDaysAgo: 20 });
    await caseWith(api, { receivedDaysAgo: 70, visitsDaysAgo: [55, 45, 31], end: 'active' });
    const rejected = await createCase(api, referral({ receivedOn: daysAgo(60), children: 0 }));
    await ok(api, `/api/cases/${rejected.caseId}/rejection`, users.fachstelle, { rejectedOn: daysAgo(55), reason: 'not_target_group' });
    await createCase(api, referral({ receivedOn: daysAgo(40) })); // still referred
    // a repeat referral of a household whose case closed a month ago
    const closed = await caseWith(api, { receivedDaysAgo: 90, children: 2, visitsDaysAgo: [70], end: 'closed', closedDaysAgo: 25 });
    await createCase(api, referral({ receivedOn: daysAgo(8), householdId: closed.householdId, children: 2 }));
  }, 60_000);
  afterAll(() => api.stop());

  const get = (path: string, token = users.evaluator) => api.request('GET', path, { token });

  describe('statistics', () => {
    it("equal the evaluation library's result over the same log, in API.md's shape", async () => {
      const answer = await get(`/api/evaluation/statistics?${query}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toEqual(await expectedStatistics(api, from, to, answer.body.asOf));
      expect(answer.body.period).toEqual({ from, to });
      expect(Object.keys(answer.body)).toEqual([
        'period',
        'asOf',
        'referrals',
        'decisions',
        'cases',
        'visits',
        'mediations',
        'housingSecured',
        'extensions',
        'closures',
        'repeatCases',
        'helpPlans',
        'withChildren',
        'activities',
      ]);
      // the history is large enough for figures to be published, not only "<5"
      expect(answer.body.referrals.total).toBe(14);
      expect(answer.body.decisions.approved).toBe(11);
      // 6 goal_achieved, 3 moved_away: the small cell is "<5", and the total or the other cell is
      // suppressed too (else 9 − 6 would reveal it)
      expect(answer.body.closures.byReason.moved_away).toBe('<5');
      expect([answer.body.closures.total, answer.body.closures.byReason.goal_achieved]).toContain('suppressed');
      expect(answer.body.visits.total).toBeGreaterThanOrEqual(20);
      expect(answer.body.repeatCases['6m']).toEqual({ eligible: '<5', repeated: '<5', share: null });
    });

    it('default asOf is now (the moment of the request)', async () => {
      const before = Date.now();
      const answer = await get(`/api/evaluation/statistics?${query}`);
      expect(Date.parse(answer.body.asOf)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(answer.body.asOf)).toBeLessThanOrEqual(Date.now());
    });

    it('a date-only asOf is the end of that day in Cologne', async () => {
      const yesterday = daysAgo(1);
      const answer = await get(`/api/evaluation/statistics?${query}&asOf=${yesterday}`);
      expect(answer.status).toBe(200);
      expect(answer.body.asOf).toBe(new Date(startOfDayInCologne(today()) - 1).toISOString());
      // everything above was recorded today: nothing was known at the end of yesterday
      expect(answer.body.referrals.total).toBe(0);
    });
  });

  describe('roles', () => {
    const routes = {
      statistics: `/api/evaluation/statistics?${query}`,
      annualReport: `/api/evaluation/annual-report/${year}`,
      report: `/api/evaluation/report?${query}`,
      cases: `/api/evaluation/cases?${query}`,
    };
    it.each([
      ['statistics', 'evaluator', 200],
      ['statistics', 'fachstelle', 200],
      ['statistics', 'anna', 403],
      ['statistics', 'admin', 403],
      ['annualReport', 'evaluator', 200],
      ['annualReport', 'fachstelle', 403],
      ['annualReport', 'anna', 403],
      ['annualReport', 'admin', 403],
      ['report', 'evaluator', 200],
      ['report', 'fachstelle', 403],
      ['report', 'anna', 403],
      ['report', 'admin', 403],
      ['cases', 'evaluator', 200],
      ['cases', 'fachstelle', 403],
      ['cases', 'anna', 403],
      ['cases', 'admin', 403],
    ] as const)('%s: %s → %i', async (route, user, status) => {
      const answer = await get(routes[route], users[user]);
      expect(answer.status).toBe(status);
      // The Fachstelle may read the annual report once it is finalised (annual-report-text.e2e.spec.ts); this year is not.
      if (status === 403)
        expectProblem(answer, 403, route === 'annualReport' && user === 'fachstelle' ? 'report-not-finalised' : 'forbidden');
    });

    it.each(Object.entries(routes))('%s needs a token', async (_route, path) => {
      expectProblem(await api.request('GET', path), 401, 'unauthorized');
    });
  });

  describe('validation', () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    function expectInvalid(answer: Answer, ...fields: string[]): void {
      expectProblem(answer, 400, 'validation');
      expect(answer.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([...fields].sort());
    }

    it.each([
      ['missing from', `to=${to}`, ['from']],
      ['missing both dates', '', ['from', 'to']],
      ['from after to', `from=${to}&to=${from}`, ['to']],
      ['an impossible date', `from=2025-02-30&to=${to}`, ['from']],
      ['a date in another format', `from=01.01.2025&to=${to}`, ['from']],
      ['asOf in the future', `${query}&asOf=${future}`, ['asOf']],
      ['asOf tomorrow', `${query}&asOf=${addDays(today(), 1)}`, ['asOf']],
      ['asOf without a zone', `${query}&asOf=2025-01-01T10:00:00`, ['asOf']],
      ['asOf that is no instant', `${query}&asOf=yesterday`, ['asOf']],
      ['an unknown parameter', `${query}&caseId=x`, ['caseId']],
      ['a repeated parameter', `${query}&from=${from}`, ['from']],
    ])('statistics: 400 for %s', async (_what, search, fields) => {
      expectInvalid(await get(`/api/evaluation/statistics?${search}`), ...fields);
    });

    it.each([
      ['a bad format', `${query}&format=xlsx`, ['format']],
      ['html (not offered for the export)', `${query}&format=html`, ['format']],
      ['a bad separator', `${query}&format=csv&separator=tab`, ['separator']],
      ['from after to', `from=${to}&to=${from}`, ['to']],
      ['asOf in the future', `${query}&asOf=${future}`, ['asOf']],
    ])('case export: 400 for %s', async (_what, search, fields) => {
      expectInvalid(await get(`/api/evaluation/cases?${search}`), ...fields);
    });

    it.each([
      ['a bad format', `${year}?format=xlsx`, ['format']],
      ['a year that is no year', '20x5', ['year']],
      ['a year before 2000', '1999', ['year']],
      ['a year after the year of asOf', `${year + 1}`, ['year']],
      ['a year after the year of a given asOf', `${year}?asOf=${year - 1}-06-30T12:00:00Z`, ['year']],
      ['asOf in the future', `${year}?asOf=${future}`, ['asOf']],
    ])('annual report: 400 for %s', async (_what, path, fields) => {
      expectInvalid(await get(`/api/evaluation/annual-report/${path}`), ...fields);
    });

    it.each([
      ['missing to', `from=${from}`, ['to']],
      ['from after to', `from=${to}&to=${from}`, ['to']],
      ['an impossible date', `from=2025-02-30&to=${to}`, ['from']],
      ['a period longer than 366 days', `from=${addDays(today(), -366)}&to=${today()}`, ['to']],
      ['a period starting after the date of asOf', `from=${today()}&to=${today()}&asOf=${daysAgo(1)}`, ['from']],
      ['a bad format', `${query}&format=xlsx`, ['format']],
      ['a bad separator', `${query}&format=csv&separator=tab`, ['separator']],
      ['asOf in the future', `${query}&asOf=${future}`, ['asOf']],
      ['an unknown parameter', `${query}&year=2025`, ['year']],
    ])('periodic report: 400 for %s', async (_what, search, fields) => {
      expectInvalid(await get(`/api/evaluation/report?${search}`), ...fields);
    });

    it('periodic report: 366 days are allowed', async () => {
      expect((await get(`/api/evaluation/report?from=${addDays(today(), -365)}&to=${today()}`)).status).toBe(200);
    });
  });

  describe('annual report', () => {
    it("json: this year and the previous one, each the library's statistics over the calendar year", async () => {
      const answer = await get(`/api/evaluation/annual-report/${year}?format=json`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const facts = await replayFacts(api.store, answer.body.asOf);
      const { text, finalised, ...figures } = answer.body;
      expect(figures).toEqual(annualReport(facts, year, answer.body.asOf, answer.body.generatedAt));
      // A year not finalised: its text sections (none drafted here) beside the figures.
      expect(finalised).toBeNull();
      expect(Object.keys(text)).toEqual(['focus_and_goals', 'current_development', 'future_development', 'cooperation']);
      expect(answer.body.current.period).toEqual({ from: `${year}-01-01`, to: `${year}-12-31` });
    });

    it('csv: an attachment, UTF-8 with a BOM (spreadsheets), comma or semicolon separated', async () => {
      for (const [separator, mark] of [
        ['comma', ','],
        ['semicolon', ';'],
      ]) {
        const response = await fetch(`${api.baseUrl}/api/evaluation/annual-report/${year}?format=csv&separator=${separator}`, {
          headers: { authorization: `Bearer ${users.evaluator}` },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(response.headers.get('content-disposition')).toBe(`attachment; filename="jahresbericht-${year}.csv"`);
        expect(response.headers.get('cache-control')).toBe('no-store');
        const bytes = Buffer.from(await response.arrayBuffer());
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const [header] = bytes.subarray(3).toString('utf8').split(/\r?\n/);
        expect(header).toContain(mark);
      }
    });

    it('html: a page without script, under a policy that allows none', async () => {
      const answer = await get(`/api/evaluation/annual-report/${year}?format=html`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(answer.text).toMatch(/<html/i);
      expect(answer.text).toContain(String(year));
      expect(answer.text).not.toMatch(/<script/i);
      expect(answer.text).not.toMatch(/\son[a-z]+\s*=/i);
    });

    it('pdf: an A4 document as an attachment', async () => {
      const response = await fetch(`${api.baseUrl}/api/evaluation/annual-report/${year}?format=pdf`, {
        headers: { authorization: `Bearer ${users.evaluator}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="jahresbericht-${year}.pdf"`);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(bytes.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
      expect(bytes.subarray(-6).toString('latin1')).toMatch(/%%EOF\n?$/);
      expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    });

    it('defaults to json', async () => {
      const answer = await get(`/api/evaluation/annual-report/${year}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ year, current: expect.any(Object), previous: expect.any(Object) });
    });
  });

  describe('periodic report', () => {
    const path = `/api/evaluation/report?${query}`;

    it("json: the period beside its comparison period, the library's periodic report over the same log", async () => {
      const answer = await get(path);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const period = { from, to };
      const facts = await replayFacts(api.store, answer.body.asOf);
      expect(answer.body).toEqual(periodicReport(facts, period, comparisonPeriod(period), answer.body.asOf, answer.body.generatedAt));
      expect(answer.body.current.period).toEqual(period);
      // 301 days that are not whole months: the 301 days just before
      expect(answer.body.previous.period).toEqual({ from: addDays(from, -301), to: addDays(from, -1) });
    });

    it('a calendar quarter is compared with the same quarter a year earlier', async () => {
      const answer = await get(`/api/evaluation/report?from=${year - 1}-10-01&to=${year - 1}-12-31`);
      expect(answer.status).toBe(200);
      expect(answer.body.previous.period).toEqual({ from: `${year - 2}-10-01`, to: `${year - 2}-12-31` });
    });

    it('csv: an attachment whose columns are the two periods', async () => {
      const answer = await get(`${path}&format=csv&separator=semicolon`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="bericht-${from}-${to}.csv"`);
      const [header] = answer.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(header).toBe(`block;metric;code;label;${from}/${to};${addDays(from, -301)}/${addDays(from, -1)}`);
    });

    it('html: titled by its dates, without script', async () => {
      const answer = await get(`/api/evaluation/report?from=${year - 1}-10-01&to=${year - 1}-12-31&format=html`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(answer.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(answer.text).toContain(`<h1>Bericht 4. Quartal ${year - 1}</h1>`);
      expect(answer.text).not.toMatch(/<script/i);
    });

    it('pdf: an attachment', async () => {
      const response = await fetch(`${api.baseUrl}${path}&format=pdf`, { headers: { authorization: `Bearer ${users.evaluator}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="bericht-${from}-${to}.pdf"`);
      expect(
        Buffer.from(await response.arrayBuffer())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
    });
  });

  describe('case export', () => {
    it("json: the library's rows under per-report pseudonyms", async () => {
      const answer = await get(`/api/evaluation/cases?${query}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toEqual({ period: { from, to }, asOf: expect.any(String), rows: expect.any(Array), withheld: 0 });
      const facts = await replayFacts(api.store, answer.body.asOf);
      const expected = caseExportRows(facts, { from, to, asOf: answer.body.asOf }, (id) => id);
      const rows = answer.body.rows as CaseExportRow[];
      expect(rows.map(withoutPseudonym).sort()).toEqual(expected.map(withoutPseudonym).sort());
      expect(rows.every((row) => /^[0-9a-f]{12}$/.test(row.pseudonym))).toBe(true);
      expect(new Set(rows.map((row) => row.pseudonym)).size).toBe(rows.length);
      // another report, other pseudonyms: rows cannot be linked across reports
      const again = (await get(`/api/evaluation/cases?${query}`)).body.rows as CaseExportRow[];
      expect(again.map((row) => row.pseudonym).filter((p) => rows.some((row) => row.pseudonym === p))).toEqual([]);
    });

    it('csv: an attachment with a header and one line per case', async () => {
      const json = await get(`/api/evaluation/cases?${query}`);
      const answer = await get(`/api/evaluation/cases?${query}&format=csv&separator=semicolon`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="fallexport-${from}-${to}.csv"`);
      const lines = answer.text.split(/\r?\n/).filter((line) => line !== '');
      expect(lines).toHaveLength(json.body.rows.length + 1);
      expect(lines[0]).toContain(';');
    });
  });
});

describe('evaluation asOf over HTTP: what did we know then', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start(undefined, {}, { evaluationWorker: EVALUATION_WORKER }));
  });
  afterAll(() => api.stop());

  it('ignores events recorded after asOf, even when their business date lies in the period', async () => {
    const day = daysAgo(3);
    const period = `from=${day}&to=${day}`;
    const first: string[] = [];
    for (let i = 0; i < 5; i++) first.push((await createCase(api, referral({ receivedOn: day }))).caseId);
    await sleep(5);
    const asOf = new Date().toISOString();
    await sleep(5);
    for (let i = 0; i < 6; i++) await createCase(api, referral({ receivedOn: day }));
    for (const caseId of first) {
      await ok(api, `/api/cases/${caseId}/approval`, users.fachstelle, approval({ approvedOn: day, plannedEndOn: addDays(day, 300) }));
    }

    const then = await api.request('GET', `/api/evaluation/statistics?${period}&asOf=${asOf}`, { token: users.evaluator });
    expect(then.status).toBe(200);
    expect(then.body.asOf).toBe(asOf);
    expect(then.body).toEqual(await expectedStatistics(api, day, day, asOf));
    expect(then.body.referrals.total).toBe(5);
    expect(then.body.decisions.approved).toBe(0);
    expect(then.body.cases.activeAtEnd).toBe(0);

    const now = await api.request('GET', `/api/evaluation/statistics?${period}`, { token: users.fachstelle });
    expect(now.body).toEqual(await expectedStatistics(api, day, day, now.body.asOf));
    expect(now.body.referrals.total).toBe(11);
    expect(now.body.decisions.approved).toBe(5);

    // the same question asked again gives the same answer: asOf makes it reproducible
    const again = await api.request('GET', `/api/evaluation/statistics?${period}&asOf=${encodeURIComponent(asOf)}`, {
      token: users.evaluator,
    });
    expect(again.body).toEqual(then.body);
  });
});
