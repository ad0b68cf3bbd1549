import { execFileSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BACKGROUND_NICE } from './background-priority';

/**
 * The compiled helper (dist/, built here) run on a worker thread, as the evaluation and rebuild
 * threads run it: the thread's own nice value rises, the process's other threads keep theirs.
 */
const root = resolve(__dirname, '../../../..');
const compiled = join(root, 'dist/libs/runtime/src/lib/background-priority.js');
const linux = process.platform === 'linux';

interface Seen {
  readonly lowered: boolean;
  readonly before: number;
  readonly after: number;
  readonly again: boolean;
  readonly final: number;
}

const onThread = (nice?: number): Promise<Seen> =>
  new Promise((resolvePromise, reject) => {
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { getPriority } = require('node:os');
      const { lowerThisThreadsPriority } = require(workerData.compiled);
      const before = getPriority();
      const lowered = workerData.nice === undefined ? lowerThisThreadsPriority() : lowerThisThreadsPriority(workerData.nice);
      const after = getPriority();
      // A second call never raises it back (nor fails: raising needs a privilege).
      const again = lowerThisThreadsPriority(0);
      parentPort.postMessage({ lowered, before, after, again, final: getPriority() });`;
    const worker = new Worker(source, { eval: true, workerData: { compiled, nice } });
    worker.once('message', resolvePromise);
    worker.once('error', reject);
  });

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root, stdio: 'pipe' });
}, 120_000);

(linux ? describe : describe.skip)('lowerThisThreadsPriority (Linux: the nice value is per thread)', () => {
  it('lowers the calling worker thread to the background nice value and leaves the main thread as it was', async () => {
    const main = getPriority();
    const seen = await onThread();
    expect(seen.before).toBe(main);
    expect(seen.lowered).toBe(true);
    expect(seen.after).toBe(Math.max(main, BACKGROUND_NICE));
    expect(seen.again).toBe(true);
    expect(seen.final).toBe(seen.after);
    expect(getPriority()).toBe(main);
  });

  it('never raises a thread already below the asked priority', async () => {
    const seen = await onThread(Math.max(getPriority(), 15));
    expect(seen.after).toBe(Math.max(getPriority(), 15));
    expect(seen.final).toBe(seen.after);
  });
});
