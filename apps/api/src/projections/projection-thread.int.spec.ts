import { loadSettings } from '@wih/runtime';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectionThread } from './projection-thread';
import { answer } from './projection-worker';

/** The worker's side: a store that fails during a request is answered as an error, never a rejection. */
describe("the projection worker's answers", () => {
  const running = {
    name: 'cases',
    status: 'running',
    generation: 1,
    checkpoint: '3',
    head: '3',
    lag: '0',
    parked: 0,
    lastError: null,
  } as const;

  it('answers a status request whose store failed with the error', async () => {
    const managers = [
      { status: async () => running, stop: async () => undefined },
      {
        status: async () => {
          throw new Error('read store busy');
        },
        stop: async () => undefined,
      },
    ];
    expect(await answer({ id: 7, type: 'status' }, managers, async () => undefined)).toEqual({
      id: 7,
      type: 'error',
      error: 'read store busy',
    });
    expect(await answer({ id: 8, type: 'status' }, managers.slice(0, 1), async () => undefined)).toEqual({
      id: 8,
      type: 'status',
      statuses: [running],
    });
  });

  it('answers a stop whose closing failed with the error', async () => {
    const managers = [{ status: async () => running, stop: async () => undefined }];
    const failing = async () => {
      throw new Error('cannot close');
    };
    expect(await answer({ id: 1, type: 'stop' }, managers, failing)).toEqual({ id: 1, type: 'error', error: 'cannot close' });
    expect(await answer({ id: 2, type: 'stop' }, managers, async () => undefined)).toEqual({ id: 2, type: 'stopped' });
  });
});

/**
 * The main thread's side, with a stand-in worker script: its first status answer is an error, the
 * second request makes it throw (an unhandled rejection ends a worker with an 'error' event).
 */
describe('ProjectionThread', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wih-thread-'));
    writeFileSync(
      join(dir, 'worker.js'),
      `
      const { parentPort } = require('node:worker_threads');
      let requests = 0;
      parentPort.on('message', (request) => {
        requests++;
        if (requests === 1) parentPort.postMessage({ id: request.id, type: 'error', error: 'read store busy' });
        else Promise.reject(new Error('the store went away'));
      });
      parentPort.postMessage({ type: 'started' });
    `,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a failed request on as a rejection, and survives the thread throwing: it reports the end instead', async () => {
    const warnings: string[] = [];
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (exited = resolve));
    const thread = await ProjectionThread.start(
      loadSettings({ DATA_DIR: dir }),
      { warn: (message, fields) => warnings.push(`${message}: ${String(fields?.error)}`), exit: exited },
      join(dir, 'worker.js'),
    );
    await expect(thread.statuses()).rejects.toThrow('read store busy');
    expect(thread.running).toBe(true);
    await expect(thread.statuses()).rejects.toThrow(/exited with 1/);
    expect(await exit).toBe(1);
    expect(thread.running).toBe(false);
    expect(warnings).toEqual(['the projection thread failed: the store went away']);
  });
});
