import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeTempDir, onAbnormalExit } from './cleanup';
import type { MonitorReport } from './monitor-report';

// The compiled API next to this compiled file: the benchmark runs what `npm start` runs.
const API_MAIN = resolve(__dirname, '../../../apps/api/src/main.js');
const MONITOR = resolve(__dirname, 'loop-monitor.js');

export interface RunningApi {
  readonly baseUrl: string;
  readonly secret: string;
  /** The API's process id (for its CPU time from /proc). */
  readonly pid?: number;
  /** Present when started with `monitor`: records the API's event loop between start and stop. */
  readonly monitor?: ApiMonitor;
  stop(): Promise<void>;
}

export interface ApiMonitor {
  start(): void;
  stop(): Promise<MonitorReport>;
}

/** Talks to loop-monitor.js in the child over the IPC channel. */
const monitorOf = (child: ChildProcess): ApiMonitor => ({
  start: () => child.send({ monitor: 'start' }),
  stop: () =>
    new Promise((done) => {
      const listen = (message: { monitor?: string; report?: MonitorReport }) => {
        if (message?.monitor !== 'report' || !message.report) return;
        child.off('message', listen);
        done(message.report);
      };
      child.on('message', listen);
      child.send({ monitor: 'stop' });
    }),
});

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });

/** The last lines the child printed, to say why it failed to start. */
const keepTail = (child: ChildProcess, lines: string[]): void => {
  const push = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 30));
  };
  child.stdout?.on('data', push);
  child.stderr?.on('data', push);
};

async function waitForHealth(baseUrl: string, child: ChildProcess, output: string[], listening = false, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}:\n${output.join('\n')}`);
    const ok = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok || listening,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`the API did not become healthy within ${timeoutMs} ms:\n${output.join('\n')}`);
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((done) => child.once('exit', () => done()));

export interface ApiOptions {
  /** Preload the event-loop/GC monitor (over an IPC channel); off, the child is exactly `npm start`'s. */
  readonly monitor?: boolean;
  /** Extra environment, e.g. RUN_PROJECTIONS. */
  readonly env?: Record<string, string>;
  /** Another compiled API (an earlier build, for a before/after comparison in one sitting). */
  readonly main?: string;
  /** Fills the fresh data dir before the API starts (e.g. with a generated event log). */
  readonly prepare?: (dataDir: string) => void | Promise<void>;
  /** Ready once /health answers at all (with RUN_PROJECTIONS=false it is 503 while no projector runs). */
  readonly listening?: boolean;
}

/** Starts the API on a free port and a fresh data dir; `stop` ends it and removes the dir. */
export async function startApi(options: ApiOptions = {}): Promise<RunningApi> {
  const main = options.main ? resolve(options.main) : API_MAIN;
  if (!existsSync(main)) throw new Error(`the compiled API is missing (${main}): run \`npm run build\` first`);
  const dataDir = makeTempDir('wih-bench-api-');
  await options.prepare?.(dataDir.path);
  const [port, secret] = [await freePort(), randomBytes(32).toString('base64url')];
  const env = {
    ...process.env,
    DATA_DIR: dataDir.path,
    PORT: String(port),
    AUTH_JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
    EVENT_STORE: 'sqlite',
    READ_STORE: 'sqlite',
    ...options.env,
  };
  const child = options.monitor
    ? spawn(process.execPath, ['--require', MONITOR, main], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    : spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const unregister = onAbnormalExit(() => child.kill('SIGKILL'));
  const output: string[] = [];
  keepTail(child, output);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exited(child).then(() => false), sleep(5000).then(() => true)]);
      if (killed) child.kill('SIGKILL');
      await exited(child);
    }
    unregister();
    dataDir.remove();
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, output, options.listening);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, secret, stop, pid: child.pid, ...(options.monitor ? { monitor: monitorOf(child) } : {}) };
}
