import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { publishCheckpoint, type StoreTiming } from './diagnostics';

/**
 * Copies the WAL back into the database from a worker thread with its own connection, so that no
 * append pays for a checkpoint on the event loop (SQLite's automatic checkpoint runs inside the
 * commit that crosses the threshold: a thousand pages copied and the database fsynced while a
 * request waits). PASSIVE never takes the write lock, so appends go on while it runs; the next
 * writer restarts the WAL from its beginning once everything in it has been copied. Durability is
 * unchanged: a commit is durable once its WAL frames are fsynced, checkpointed or not.
 *
 * Inline JavaScript rather than a file: the same code runs from the compiled app and under jest,
 * and the worker loads the very better-sqlite3 module the store loaded.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
const checkpoint = () => {
  const start = performance.now();
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  if (result && result.checkpointed > 0) {
    parentPort.postMessage({ startedAt: performance.timeOrigin + start, durationMs: performance.now() - start, count: result.checkpointed });
  }
};
const timer = setInterval(() => {
  try { checkpoint(); } catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface CheckpointerOptions {
  /** How often the worker checkpoints (ms). */
  readonly intervalMs: number;
  readonly busyTimeoutMs: number;
}

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  /** The last failure the worker reported (a checkpoint that failed is retried on the next tick). */
  lastError?: string;

  constructor(file: string, options: CheckpointerOptions) {
    this.worker = new Worker(SOURCE, {
      eval: true,
      workerData: { file, sqlite: require.resolve('better-sqlite3'), ...options },
    });
    // The store's close() stops the worker; it must not keep a finished process alive meanwhile.
    this.worker.unref();
    this.worker.on('message', (message: StoreTiming | { error: string }) => {
      if ('error' in message) this.lastError = message.error;
      else publishCheckpoint(message);
    });
    this.exited = new Promise((done) => this.worker.once('exit', () => done()));
    this.worker.on('error', (error) => (this.lastError = error.message));
  }

  /** Finishes the running checkpoint, if any, and closes the worker's connection. */
  async stop(): Promise<void> {
    // Held while stopping: unref'd, the worker would let the event loop run empty during a shutdown
    // that awaits it (the HTTP server already closed), and the process would end with code 0 before
    // the store closed and said so.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}

/** A checkpoint attempt every half second; SQLite's own checkpoint only as a backstop, at 10,000 pages (about 40 MB). */
const CHECKPOINT_INTERVAL_MS = 500;
const BACKSTOP_PAGES = 10_000;

/**
 * Moves a connection's checkpoints to a worker (decision 0048): SQLite's own checkpoint runs inside
 * the commit that crosses 1,000 pages of WAL, so that commit, and whatever waits for it, pays for the
 * copy and its fsync. The backstop only bounds the WAL should the worker fall behind.
 */
export const checkpointInBackground = (db: Database.Database, file: string, busyTimeoutMs: number): BackgroundCheckpointer => {
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  return new BackgroundCheckpointer(file, { intervalMs: CHECKPOINT_INTERVAL_MS, busyTimeoutMs });
};
