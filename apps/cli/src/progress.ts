import { SingleBar, Presets } from 'cli-progress';

export interface RebuildProgress {
  readonly status: string;
  readonly done: number;
  readonly total: number;
  readonly rate: number;
  readonly eta: number | null;
  readonly error?: string | null;
}

const FINAL = new Set(['done', 'failed', 'cancelled']);

/** Polls a rebuild's status and draws a progress bar (on stderr) until it ends. */
export async function followRebuild(name: string, poll: () => Promise<RebuildProgress>, intervalMs = 500): Promise<RebuildProgress> {
  const bar = new SingleBar(
    {
      format: `${name.padEnd(10)} [{bar}] {percentage}% | {value}/{total} events | {rate} ev/s | ETA {eta_s}s | {status}`,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  let status = await poll();
  bar.start(Math.max(status.total, 1), status.done, { rate: status.rate, eta_s: status.eta ?? '?', status: status.status });
  while (!FINAL.has(status.status)) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    status = await poll();
    bar.setTotal(Math.max(status.total, status.done, 1));
    bar.update(status.done, { rate: status.rate, eta_s: status.eta ?? '?', status: status.status });
  }
  bar.stop();
  return status;
}

/**
 * A bar (on stderr) while the log is replayed: the position reached against the head at the start,
 * with the number of events read. Positions need not be dense, so the percentage is an estimate.
 */
export function replayBar(): { update: (done: number, head: bigint, position: bigint) => void; stop: () => void } {
  const bar = new SingleBar(
    { format: 'replay     [{bar}] {percentage}% | {done} events | ETA {eta_formatted}', stream: process.stderr, etaBuffer: 50 },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, head, position) => {
      const total = Math.max(Number(head), Number(position), 1);
      if (!started) bar.start(total, 0, { done: 0 });
      started = true;
      bar.setTotal(total);
      bar.update(Number(position), { done });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** A bar (on stderr) while a backup copies the database files: pages copied of all files so far. */
export function backupBar(): { update: (done: number, total: number, file: string) => void; stop: () => void } {
  const bar = new SingleBar(
    { format: 'backup     [{bar}] {percentage}% | {value}/{total} pages | {file}', stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total, file) => {
      if (!started) bar.start(Math.max(total, 1), 0, { file });
      started = true;
      bar.setTotal(Math.max(total, done, 1));
      bar.update(done, { file });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** A bar (on stderr) per phase of a store migration: done of total, the rate and the time left. */
export function migrationBar(): {
  start: (phase: string, total: number, done: number) => void;
  update: (done: number) => void;
  stop: () => void;
} {
  let bar: SingleBar | undefined;
  let startedAt = 0;
  let startDone = 0;
  const rate = (done: number) => {
    const seconds = (Date.now() - startedAt) / 1000;
    return seconds > 0 ? Math.round((done - startDone) / seconds) : 0;
  };
  return {
    start: (phase, total, done) => {
      bar?.stop();
      bar = new SingleBar(
        {
          format: `${phase.padEnd(10)} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
          stream: process.stderr,
          etaBuffer: 50,
        },
        Presets.shades_classic,
      );
      startedAt = Date.now();
      startDone = done;
      bar.start(Math.max(total, done, 1), done, { rate: 0 });
    },
    update: (done) => {
      if (!bar) return;
      bar.setTotal(Math.max(bar.getTotal(), done, 1));
      bar.update(done, { rate: rate(done) });
    },
    stop: () => {
      bar?.stop();
      bar = undefined;
    },
  };
}
