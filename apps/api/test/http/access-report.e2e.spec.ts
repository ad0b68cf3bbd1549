import { addMonths } from '@wih/domain';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { checkAnswersAgainstDocument } from './contract';
import { caseRoutes, daysAgo, today } from './fixtures';
import { activeCase, closedCase, expectNothingWritten, expectProblem, TestApi, users, type Answer } from './harness';

/** API.md: GET /api/households/{householdId}/access-report?format=json|pdf (fachstelle); decision 0033. */

const NAME = 'Familie Auskunftsrecht';
const ADDRESS = 'Alte Gasse 7, 50667 Köln';
const NEW_ADDRESS = 'Neue Gasse 9, 50667 Köln';
const NOTE = 'Notiz-Auskunft-0815';

const poppler = spawnSync('pdftotext', ['-v']).error === undefined;
const withPoppler = poppler || process.env.CI ? it : it.skip;

const report = (api: TestApi, householdId: string, token = users.fachstelle, query = ''): Promise<Answer> =>
  api.request('GET', `/api/households/${householdId}/access-report${query}`, { token });

/** Reads the case through the projections (so the read is in the access log), waiting for the writes so far. */
async function readDetail(api: TestApi, caseId: string, token: string): Promise<void> {
  const position = (await api.store.headPosition('case')).toString();
  const answer = await api.request('GET', `/api/cases/${caseId}?minPosition=${position}`, { token });
  expect(answer.status).toBe(200);
}

const accessEntries = async (api: TestApi, caseId: string) =>
  (await api.request('GET', `/api/admin/access-log?caseId=${caseId}`, { token: users.admin })).body.items as {
    userId: string;
    role: string;
    action: string;
  }[];

describe("the household's access report (DSGVO Art. 15)", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  it('is the Fachstelle only: 401 without a token, 403 for other roles, 400 for an id that is no UUID, 404 for an unknown household', async () => {
    const { caseId, householdId } = await activeCase(api);
    for (const token of [users.anna, users.evaluator, users.admin]) {
      await expectNothingWritten(api, caseId, async () => {
        const answer = await report(api, householdId, token);
        expect(answer.status).toBe(403);
        return answer;
      });
    }
    expect((await api.request('GET', `/api/households/${householdId}/access-report`)).status).toBe(401);
    expectProblem(await report(api, 'not-a-uuid'), 400, 'validation');
    expectProblem(await report(api, householdId, users.fachstelle, '?format=docx'), 400, 'validation');
    expectProblem(await report(api, randomUUID()), 404, 'household-not-found');
    // refusals leave no entry
    expect((await accessEntries(api, caseId)).filter((e) => e.action === 'access-report')).toEqual([]);
  });

  it('holds the case, the details as they are and as they were, the restriction, the reads and the retention; and is logged', async () => {
    const { caseId, householdId } = await activeCase(api, { household: { name: NAME, address: ADDRESS }, notes: NOTE });
    expect((await api.post(`/api/cases/${caseId}/visits`, users.anna, { ...caseRoutes().visits, notes: NOTE })).status).toBe(200);
    const moved = await api.post(`/api/cases/${caseId}/household-details`, users.anna, {
      changedOn: today(),
      reason: 'moved',
      household: { address: NEW_ADDRESS },
    });
    expect(moved.status).toBe(200);
    await readDetail(api, caseId, users.anna);
    const restriction = { restrictedOn: today(), reason: 'accuracy_contested' };
    expect((await api.post(`/api/households/${householdId}/restriction`, users.fachstelle, restriction)).status).toBe(200);
    expect((await api.request('DELETE', `/api/households/${householdId}/restriction`, { token: users.fachstelle })).status).toBe(200);

    const answer = await report(api, householdId);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = answer.body;
    expect(body).toMatchObject({ householdId, erased: null, retention: { erasureDueOn: null, openCase: true } });
    expect(body.household.current).toEqual({ name: NAME, address: NEW_ADDRESS, phone: null });
    expect(body.household.history).toEqual([
      { kind: 'referral', caseId, on: expect.any(String), household: expect.objectContaining({ name: NAME, address: ADDRESS }) },
      { kind: 'change', caseId, on: today(), reason: 'moved', household: { address: NEW_ADDRESS } },
    ]);
    expect(body.cases).toHaveLength(1);
    expect(body.cases[0]).toMatchObject({
      caseId,
      status: 'active',
      referral: { notes: NOTE },
      decision: { kind: 'approved', assignedCaseworkerId: 'anna' },
      visits: [{ notes: NOTE }],
    });
    expect(body.restrictions).toEqual([{ restrictedOn: today(), reason: 'accuracy_contested', liftedOn: today() }]);
    expect(body.reads).toEqual([{ at: expect.any(String), userId: 'anna', role: 'caseworker', caseId, action: 'detail' }]);

    // the report itself is in the access log, one entry for the household's case, and shows in the next report
    expect((await accessEntries(api, caseId)).filter((e) => e.action === 'access-report')).toEqual([
      expect.objectContaining({ userId: 'fs-1', role: 'fachstelle', action: 'access-report' }),
    ]);
    const again = await report(api, householdId);
    expect(again.body.reads.map((r: { action: string }) => r.action)).toEqual(['detail', 'access-report']);
  });

  it('states the retention date after the closing: RETENTION_AFTER_CLOSE (6 years by default) after it', async () => {
    const { householdId } = await closedCase(api);
    const answer = await report(api, householdId);
    expect(answer.body.retention).toEqual({ erasureDueOn: addMonths(daysAgo(1), 72), openCase: false });
    expect(answer.body.cases[0]).toMatchObject({ status: 'closed', closure: { closedOn: daysAgo(1), reason: 'moved_away' } });
  });

  it('after the erasure holds only that the data was erased, and when; still logged', async () => {
    const { caseId, householdId } = await closedCase(api, { household: { name: NAME, address: ADDRESS }, notes: NOTE });
    await readDetail(api, caseId, users.fachstelle);
    expect((await api.request('DELETE', `/api/households/${householdId}/personal-data`, { token: users.admin })).status).toBe(204);
    const answer = await report(api, householdId);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      householdId,
      issuedAt: expect.any(String),
      erased: { erasedOn: today() },
      household: null,
      cases: [],
      restrictions: [],
      reads: [],
      retention: null,
    });
    expect((await accessEntries(api, caseId)).filter((e) => e.action === 'access-report')).toHaveLength(1);
  });

  withPoppler('as a PDF: an A4 document with the German title, the current and the old details', async () => {
    const { caseId, householdId } = await activeCase(api, { household: { name: NAME, address: ADDRESS } });
    const moved = { changedOn: today(), reason: 'moved', household: { address: NEW_ADDRESS } };
    expect((await api.post(`/api/cases/${caseId}/household-details`, users.anna, moved)).status).toBe(200);
    const answer = await fetch(`${api.baseUrl}/api/households/${householdId}/access-report?format=pdf`, {
      headers: { authorization: `Bearer ${users.fachstelle}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="auskunft-${householdId}.pdf"`);
    const bytes = Buffer.from(await answer.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'wih-access-report-'));
    try {
      const file = join(dir, 'auskunft.pdf');
      writeFileSync(file, bytes);
      expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Title:\s+Auskunft über die gespeicherten Daten[\s\S]*A4/);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      for (const line of [
        'Auskunft über die gespeicherten Daten',
        'Erstellt am',
        'Kontaktdaten',
        'Wer die Daten gelesen hat',
        'Speicherdauer',
      ])
        expect(text).toContain(line);
      expect(text).toContain(NAME);
      expect(text).toContain(NEW_ADDRESS);
      expect(text).toContain(ADDRESS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await accessEntries(api, caseId)).filter((e) => e.action === 'access-report')).toHaveLength(1);
  });
});
