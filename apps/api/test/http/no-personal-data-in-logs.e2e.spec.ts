import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { approval, daysAgo, referral, today } from './fixtures';
import { expectNothingWritten, expectProblem, TestApi, users, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { eventually } from './read-side';

/**
 * DOMAIN.md "Personal data": names, addresses, phone numbers and notes never reach logs, metrics
 * or evaluators, and after an erasure no answer shows them. One case with unique planted values
 * goes through its whole life (created, approved, visited with notes, read three ways, exported
 * for evaluators, refused with the planted values in invalid fields and in the path, erased) while
 * the API logs at its most verbose level into a buffer and anything printed besides is captured;
 * then every channel is searched for the planted values: logs, console, /metrics, the access-log
 * export, evaluator and error answers, every answer after the erasure, and the raw DATA_DIR files.
 */

const NAME = 'Plantfamilie Xylobrandt';
const ADDRESS = 'Quarzgasse 77b, 50667 Koeln';
const PHONE = '0221 8765 4321';
const NOTES = 'Plantnotiz-Zebrafink-5521';
/** The planted values and recognisable parts of them (a log line could hold a fragment). */
const PLANTED = [NAME, 'Xylobrandt', ADDRESS, 'Quarzgasse', PHONE, '8765 4321', NOTES, 'Zebrafink'];
/** What the raw data files are searched for once the erasure has been projected (the task's minimum). */
const PLANTED_IN_FILES = [NAME, 'Xylobrandt', ADDRESS, 'Quarzgasse'];

const plantedIn = (text: string): string[] => PLANTED.filter((value) => text.includes(value));

/** Every line the app logs, at the most verbose level, kept in memory. */
class LogBuffer extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(chunk.toString());
    done();
  }
  get text(): string {
    return this.lines.join('');
  }
}

describe('no personal data in logs, metrics, the access log or evaluator answers', () => {
  const logs = new LogBuffer();
  let api: TestApi;
  let caseId: string;
  let householdId: string;
  /** Answers that may show personal data (to anna and the Fachstelle), before the erasure. */
  const personalAnswers: Record<string, Answer> = {};
  /** Everything an evaluator got. */
  const evaluatorAnswers: Record<string, Answer> = {};
  const refusals: Answer[] = [];

  /** A GET that waits until the projections have applied every case event written so far. */
  const read = async (path: string, token: string): Promise<Answer> => {
    const position = (await api.store.headPosition('case')).toString();
    return api.request('GET', `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`, { token });
  };
  const ok = async (answer: Promise<Answer>, status = 200): Promise<Answer> => {
    const settled = await answer;
    if (settled.status !== status) throw new Error(`expected ${status}, got ${settled.status}: ${settled.text}`);
    return settled;
  };
  const personalReads = () => ({
    detail: read(`/api/cases/${caseId}`, users.anna),
    timeline: read(`/api/cases/${caseId}/timeline`, users.fachstelle),
    'caseload by name': read(`/api/caseload?q=${encodeURIComponent(NAME)}`, users.fachstelle),
    caseload: read('/api/caseload', users.anna),
  });

  /** Anything written around the logger (console, process streams) while the app runs. */
  const printed: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))));
    }
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: never[]) => {
          printed.push(String(chunk));
          return write(chunk as string, ...rest);
        }) as typeof stream.write),
      );
    }
    api = checkAnswersAgainstDocument(await TestApi.start(undefined, { LOG_LEVEL: 'trace' }, { logDestination: logs }));
    const created = await ok(
      api.post(
        '/api/cases',
        users.anna,
        referral({
          household: { name: NAME, address: ADDRESS, phone: PHONE },
          notes: `${NOTES} Erstkontakt mit ${NAME}`,
        }),
      ),
      201,
    );
    caseId = created.body.caseId;
    const [received] = await api.store.readStream(`case-${caseId}`);
    householdId = (received.data as { householdId: string }).householdId;
    await ok(api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval()));
    await ok(
      api.post(`/api/cases/${caseId}/visits`, users.anna, {
        visitedOn: daysAgo(3),
        householdMet: true,
        notes: `${NOTES}: ${NAME}, ${PHONE}`,
      }),
    );
    for (const [what, answer] of Object.entries(personalReads())) personalAnswers[what] = await ok(answer);
    // The household's access report (Art. 15) holds everything about it: read as JSON and as PDF, it must log none of it.
    for (const format of ['json', 'pdf'])
      personalAnswers[`access report ${format}`] = await ok(
        api.request('GET', `/api/households/${householdId}/access-report?format=${format}`, { token: users.fachstelle }),
      );

    const period = `from=${daysAgo(400)}&to=${today()}`;
    const year = Number(today().slice(0, 4));
    for (const [what, path] of Object.entries({
      statistics: `/api/evaluation/statistics?${period}`,
      'annual report json': `/api/evaluation/annual-report/${year}?format=json`,
      'annual report html': `/api/evaluation/annual-report/${year}?format=html`,
      'annual report csv': `/api/evaluation/annual-report/${year}?format=csv`,
      'case export json': `/api/evaluation/cases?${period}`,
      'case export csv': `/api/evaluation/cases?${period}&format=csv`,
    }))
      evaluatorAnswers[what] = await ok(api.request('GET', path, { token: users.evaluator }));

    // Refused: the planted values in fields that do not take them (each answer must not echo them).
    const invalid = referral({
      receivedOn: NAME,
      referralSource: ADDRESS,
      household: { name: NAME, address: ADDRESS, phone: PHONE },
      notes: NOTES,
    });
    refusals.push(await expectNothingWritten(api, null, () => api.post('/api/cases', users.anna, invalid)));
    refusals.push(
      await expectNothingWritten(api, caseId, () =>
        api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn: NOTES, householdMet: PHONE, notes: NAME }),
      ),
    );
    refusals.push(
      await expectNothingWritten(api, null, () =>
        api.request('POST', '/api/cases', { token: users.anna, raw: `{"household": {"name": "${NAME}", "address": "${ADDRESS}"` }),
      ),
    );
    // ... and in the path, where an id belongs (a client that puts the name in the URL).
    refusals.push(await api.request('GET', `/api/cases/${encodeURIComponent(NAME)}/timeline`, { token: users.anna }));
    refusals.push(await api.request('GET', `/api/${encodeURIComponent(ADDRESS)}`, { token: users.anna }));

    await ok(api.request('DELETE', `/api/households/${householdId}/personal-data`, { token: users.admin }), 204);
  });
  afterAll(async () => {
    await api.stop();
    spies.forEach((spy) => spy.mockRestore());
  });

  it('showed the planted values to those allowed to read them before the erasure (the search below can find them)', () => {
    expect(personalAnswers['detail'].body.household).toEqual({ name: NAME, address: ADDRESS, phone: PHONE });
    expect(personalAnswers['caseload by name'].body.items.map((i: { householdName: string }) => i.householdName)).toEqual([NAME]);
    expect(plantedIn(personalAnswers['timeline'].text)).toEqual(expect.arrayContaining([NAME, NOTES]));
    expect(plantedIn(personalAnswers['access report json'].text)).toEqual(expect.arrayContaining([NAME, ADDRESS, PHONE, NOTES]));
    expect(personalAnswers['access report pdf'].headers.get('content-type')).toMatch(/^application\/pdf/);
  });

  it('gives evaluators no planted value in any output', () => {
    for (const [what, answer] of Object.entries(evaluatorAnswers))
      expect({ what, planted: plantedIn(answer.text) }).toEqual({ what, planted: [] });
    expect(evaluatorAnswers['case export json'].body.rows.length).toBeGreaterThan(0);
  });

  it('refuses invalid fields with problem answers that do not echo the planted values', () => {
    expectProblem(refusals[0], 400, 'validation');
    expect(refusals[0].body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['receivedOn', 'referralSource']),
    );
    expectProblem(refusals[1], 400, 'validation');
    expect(refusals[1].body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['visitedOn', 'householdMet']));
    expectProblem(refusals[2], 400, 'validation');
    expectProblem(refusals[3], 400, 'validation');
    expectProblem(refusals[4], 404, 'not-found');
    for (const refusal of refusals) expect(plantedIn(refusal.text)).toEqual([]);
  });

  it('shows the planted values in no answer after the erasure', async () => {
    const after = personalReads();
    for (const [what, pending] of Object.entries(after)) {
      const answer = await ok(pending);
      expect({ what, planted: plantedIn(answer.text) }).toEqual({ what, planted: [] });
    }
    expect((await read(`/api/cases/${caseId}`, users.fachstelle)).body.household).toEqual({ erased: true });
  });

  it('logs nothing planted, at the most verbose level (trace), while logging every request', () => {
    expect(logs.lines.length).toBeGreaterThan(40);
    const requestLines = logs.lines.map((line) => JSON.parse(line) as { req?: { path?: string }; context?: string });
    expect(requestLines.filter((l) => l.req?.path === `/api/cases/${caseId}/visits`).length).toBeGreaterThanOrEqual(2);
    expect(requestLines.filter((l) => l.req?.path === `/api/households/${householdId}/access-report`).length).toBeGreaterThanOrEqual(2);
    // Nest's own loggers write into the same buffer (the framework's lines, the services' warnings).
    expect(requestLines.some((l) => l.context === 'RoutesResolver')).toBe(true);
    expect(plantedIn(logs.text)).toEqual([]);
    expect(plantedIn(printed.join('\n'))).toEqual([]);
  });

  it('exposes nothing planted in GET /metrics', async () => {
    const metrics = await ok(api.request('GET', '/metrics'));
    expect(metrics.text).toMatch(/http_requests_total/);
    expect(plantedIn(metrics.text)).toEqual([]);
  });

  it('records reads in the access log without anything planted', async () => {
    for (const format of ['json', 'csv']) {
      const exported = await ok(api.request('GET', `/api/admin/access-log?caseId=${caseId}&format=${format}`, { token: users.admin }));
      expect(exported.text).toContain(caseId);
      expect(plantedIn(exported.text)).toEqual([]);
    }
  });

  it('leaves neither name nor address in any raw file of DATA_DIR once the erasure is projected', async () => {
    await ok(read(`/api/cases/${caseId}`, users.fachstelle)); // the erasure reached the read models
    const files = readdirSync(api.dataDir).filter((file) => statSync(join(api.dataDir, file)).isFile());
    expect(files).toEqual(expect.arrayContaining(['events.sqlite', 'read.sqlite', 'access-log.sqlite', 'keys.sqlite']));
    const found = () =>
      readdirSync(api.dataDir)
        .filter((file) => statSync(join(api.dataDir, file)).isFile())
        .flatMap((file) => {
          const bytes = readFileSync(join(api.dataDir, file));
          return PLANTED_IN_FILES.filter((value) => bytes.includes(Buffer.from(value, 'utf8'))).map((value) => `${file}: ${value}`);
        });
    // The read store's scrub runs right after the projections applied the erasure, in the background.
    expect(
      await eventually(
        async () => found(),
        (list) => list.length === 0,
      ),
    ).toEqual([]);
  });
});
