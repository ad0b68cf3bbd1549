import type { ProjectionStatus } from '@wih/application';
import type { Settings } from '@wih/runtime';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerMessage, WorkerRequest } from './projection-worker';

/** The compiled worker; from the TypeScript sources (jest) there is none and the projections run in-thread. */
export const PROJECTION_WORKER = join(__dirname, 'projection-worker.js');

export const projectionThreadAvailable = (): boolean => existsSync(PROJECTION_WORKER);

const STOP_TIMEOUT_MS = 15_000;

export interface ThreadEvents {
  warn(message: string, fields?: Record<string, unknown>): void;
  exit(code: number): void;
}

/** The main thread's side of projection-worker.ts: start, status requests, stop. */
export class ProjectionThread {
  private readonly waiting = new Map<number, { resolve: (message: WorkerMessage) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    private readonly events: ThreadEvents,
  ) {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'warn') events.warn(message.message, message.fields);
      if (!('id' in message)) return;
      const waiting = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.type === 'error') waiting?.reject(new Error(message.error));
      else waiting?.resolve(message);
    });
    // An error thrown in the thread ends the thread (its 'exit' follows and the supervisor starts it
    // again); unheard, the 'error' event would be thrown here and end the whole API.
    worker.on('error', (error) => events.warn('the projection thread failed', { error: error.message }));
    worker.once('exit', (code) => {
      this.exited = true;
      for (const { reject } of this.waiting.values()) reject(new Error(`the projection thread exited with ${code}`));
      this.waiting.clear();
      events.exit(code);
    });
  }

  /** Resolves once every projection started in the worker; rejects with the worker's error. */
  static start(settings: Settings, events: ThreadEvents, script = PROJECTION_WORKER): Promise<ProjectionThread> {
    const worker = new Worker(script, { workerData: { settings } });
    return new Promise((resolve, reject) => {
      const early = (code: number) => reject(new Error(`the projection thread exited with ${code} while starting`));
      worker.once('error', reject);
      worker.once('exit', early);
      worker.on('message', function started(message: WorkerMessage) {
        if (message.type !== 'started' && message.type !== 'failed') return;
        worker.off('message', started).off('exit', early).off('error', reject);
        if (message.type === 'failed') {
          void worker.terminate();
          reject(new Error(`the projection thread failed to start: ${message.error}`));
        } else resolve(new ProjectionThread(worker, events));
      });
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  async statuses(): Promise<ProjectionStatus[]> {
    const answer = await this.ask('status');
    return answer.type === 'status' ? answer.statuses : [];
  }

  /** The runners finish their batch and release their leases; a worker that hangs is terminated. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const timeout = setTimeout(() => void this.worker.terminate(), STOP_TIMEOUT_MS);
    try {
      await Promise.race([this.ask('stop').catch(() => undefined), new Promise((done) => this.worker.once('exit', done))]);
    } finally {
      clearTimeout(timeout);
    }
  }

  private ask(type: WorkerRequest['type']): Promise<WorkerMessage> {
    if (this.exited) return Promise.reject(new Error('the projection thread has exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, type } satisfies WorkerRequest);
    });
  }
}
