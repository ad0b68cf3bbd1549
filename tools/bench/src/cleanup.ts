import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Last-resort cleanup: the benchmark's own `finally` blocks normally stop children and remove
 * temp dirs; these tasks cover what an uncaught error or Ctrl-C would leave behind.
 */
const tasks = new Set<() => void>();
let installed = false;

const runAll = (): void => {
  for (const task of [...tasks]) {
    tasks.delete(task);
    try {
      task();
    } catch {
      // Best effort: one failed task must not keep the others from running.
    }
  }
};

const install = (): void => {
  if (installed) return;
  installed = true;
  process.once('exit', runAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      runAll();
      process.exit(code);
    });
  }
};

/** Registers a synchronous task for abnormal exits; the returned function unregisters it. */
export const onAbnormalExit = (task: () => void): (() => void) => {
  install();
  tasks.add(task);
  return () => tasks.delete(task);
};

export interface TempDir {
  readonly path: string;
  remove(): void;
  /** Leaves the dir in place, also on an abnormal exit (a log kept for later runs). */
  keep(): void;
}

export const makeTempDir = (prefix: string): TempDir => {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const removeNow = () => rmSync(path, { recursive: true, force: true });
  const unregister = onAbnormalExit(removeNow);
  return {
    path,
    remove: () => {
      unregister();
      removeNow();
    },
    keep: unregister,
  };
};
