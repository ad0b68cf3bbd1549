import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referral, today } from './fixtures';
import { expectProblem, TestApi, users, type Answer } from './harness';

/**
 * The evaluation thread (decision 0019), with a stand-in worker script that speaks the real
 * protocol: it blocks its own thread, as a long replay does, until the test writes a file; it
 * marks each job it starts with a file too. The API's event loop must go on answering meanwhile,
 * and beyond EVALUATION_THREADS + EVALUATION_QUEUE an evaluation is refused with a Retry-After.
 */
const STAND_IN = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { existsSync, writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  const dir = workerData.settings.dataDir;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  parentPort.on('message', (request) => {
    if (request.type === 'stop') return parentPort.close();
    if (existsSync(join(dir, 'crash'))) process.exit(3);
    if (existsSync(join(dir, 'store-down'))) {
      return parentPort.postMessage({ type: 'failed', id: request.id, error: { name: 'StoreUnavailableError', message: 'the event store did not answer' } });
    }
    writeFileSync(join(dir, 'started-' + request.job.kind + '-' + request.id), '');
    // Blocked, not waiting: nothing else runs on this thread until the file appears.
    while (!existsSync(join(dir, 'release'))) Atomics.wait(pause, 0, 0, 5);
    parentPort.postMessage({ type: 'done', id: request.id, answer: { from: 'stand-in', kind: request.job.kind, year: request.job.year } });
  });
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await sleep(5);
};

describe('evaluations on their own thread', () => {
  let scripts: string;
  let api: TestApi;
  const year = Number(today().slice(0, 4));
  const report = () => api.request('GET', `/api/evaluation/annual-report/${year}`, { token: users.evaluator });
  const file = (name: string) => join(api.dataDir, name);

  beforeAll(() => {
    scripts = mkdtempSync(join(tmpdir(), 'wih-evaluation-worker-'));
    writeFileSync(join(scripts, 'stand-in.js'), STAND_IN);
  });
  afterAll(() => rmSync(scripts, { recursive: true, force: true }));
  beforeEach(async () => {
    api = await TestApi.start(
      undefined,
      { EVALUATION_THREADS: '1', EVALUATION_QUEUE: '1' },
      { evaluationWorker: join(scripts, 'stand-in.js') },
    );
  });
  afterEach(async () => {
    writeFileSync(file('release'), '');
    await api.stop();
  });

  it('a command and /health are answered while a report is being built; a second report waits, a third is refused with Retry-After', async () => {
    const order: string[] = [];
    const note = (what: string) => (answer: Answer) => (order.push(`${what} ${answer.status}`), answer);
    const first = report().then(note('report'));
    await until(() => existsSync(file(`started-annual-report-1`)));

    const command = await api.post('/api/cases', users.anna, referral()).then(note('command'));
    const health = await api.request('GET', '/health').then(note('health'));
    // Two more: one waits in the queue, the other is refused at once (which is which depends on arrival).
    const more = [report(), report()].map((answer) => answer.then(note('another report')));
    const refused = await Promise.race(more);
    expect(order).toEqual(['command 201', 'health 200', 'another report 503']);
    expect(command.body).toEqual(expect.objectContaining({ caseId: expect.any(String), revision: 0 }));
    expect(health.body.status).toBe('ok');
    expectProblem(refused, 503, 'evaluation-busy');
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);

    writeFileSync(file('release'), '');
    const [built, ...others] = await Promise.all([first, ...more]);
    expect(order).toEqual(['command 201', 'health 200', 'another report 503', 'report 200', 'another report 200']);
    // what the thread computed is the answer
    // (with the report's text and finalisation composed around it on the main thread)
    expect(built.body).toEqual({ from: 'stand-in', kind: 'annual-report', year, text: expect.any(Object), finalised: null });
    expect(others.find((answer) => answer.status === 200)?.body).toEqual(built.body);
    expect(existsSync(file('started-annual-report-2'))).toBe(true);
  });

  it('a store that fails on the thread is 503 store-unavailable; a thread that ends is replaced for the next evaluation', async () => {
    writeFileSync(file('store-down'), '');
    expectProblem(await report(), 503, 'store-unavailable');
    rmSync(file('store-down'));
    writeFileSync(file('crash'), '');
    expectProblem(await report(), 500, 'internal');
    rmSync(file('crash'));
    writeFileSync(file('release'), '');
    const answer = await report();
    expect(answer.status).toBe(200);
    expect(answer.body.from).toBe('stand-in');
  });
});
