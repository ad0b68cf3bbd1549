import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly sqlite: string;
  readonly os: string;
}

export const sqliteVersion = (): string => {
  const db = new Database(':memory:');
  try {
    return db.prepare<[], string>('SELECT sqlite_version()').pluck().get() ?? 'unknown';
  } finally {
    db.close();
  }
};

export const describeMachine = (): Machine => {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    sqlite: sqliteVersion(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
};

/** 1-minute load average: well above 0 means other processes shared the cores (and the disk). */
export const loadAverage = (): number => Math.round(os.loadavg()[0] * 100) / 100;

export const machineLine = (m: Machine): string =>
  `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node}, SQLite ${m.sqlite}, ${m.os}`;

/** Dirty and under-writeback page cache in MiB (Linux), or null where /proc/meminfo is not there. */
export function pendingWritesMiB(): number | null {
  if (!existsSync('/proc/meminfo')) return null;
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0);
  return (kib('Dirty') + kib('Writeback')) / 1024;
}

/**
 * CPU time (user + system, s) a process has used so far, or one of its threads (`tid`; a
 * process's main thread has the process's id), from /proc (Linux; null elsewhere or once gone).
 * The kernel counts in USER_HZ ticks, 100 per second on Linux.
 */
export function cpuSecondsOf(pid: number | undefined, tid?: number): number | null {
  if (pid === undefined) return null;
  const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  try {
    // After the command's closing parenthesis: state, then 10 fields, then utime and stime.
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The larger of the peak so far and a new sample (null where the system tells none). */
export const higher = (peak: number | null, sample: number | null): number | null =>
  peak === null || sample === null ? peak : Math.max(peak, sample);

/**
 * Until the page cache holds at most `thresholdMiB` not yet written to disk. A rebuild writes a
 * new generation of every read model and then drops the old one (secure_delete overwrites its
 * pages); the event store's fsynced commits queue behind that writeback on the same disk. A run
 * started meanwhile would measure that aftermath as its baseline. Returns the seconds waited and
 * the most pending seen.
 */
export async function diskSettled(thresholdMiB = 32, timeoutMs = 180_000): Promise<{ seconds: number; peakMiB: number | null }> {
  const started = performance.now();
  let peak = pendingWritesMiB();
  for (let pending = peak; pending !== null && pending > thresholdMiB && performance.now() - started < timeoutMs;) {
    await sleep(250);
    pending = pendingWritesMiB();
    peak = higher(peak, pending);
  }
  return { seconds: (performance.now() - started) / 1000, peakMiB: peak };
}
