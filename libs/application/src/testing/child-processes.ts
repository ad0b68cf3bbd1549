import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Child {
  readonly process: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  readonly output: () => string;
  /** 'close', not 'exit': only then has everything it wrote arrived. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * How a graceful stop on SIGTERM ends: Nest re-raises the signal once its shutdown hooks ran (an
 * exit with 0 meant the event loop ran empty during them: the store's checkpoint worker was unref'd).
 */
export const GRACEFUL_STOPS = [{ code: null, signal: 'SIGTERM' }];

/** Compiles the sources to dist/ (tools/build.mjs), which the child processes run. */
export const buildDist = (root: string): void => {
  execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root, stdio: 'pipe' });
};

/**
 * The Node.js child processes of one spec (crash tests: projectors and the API killed with
 * SIGKILL): `start` runs a compiled script, `killAll` (in afterAll) kills those still running.
 */
export class ChildProcesses {
  private readonly all: ChildProcess[] = [];

  constructor(private readonly root: string) {}

  start(script: string, args: readonly string[] = [], env?: NodeJS.ProcessEnv): Child {
    const child = spawn(process.execPath, [script, ...args], { cwd: this.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.all.push(child);
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    return { process: child, output: () => output, exited };
  }

  killAll(): void {
    for (const child of this.all) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
