import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { Latencies, type LatencySummary } from './latency';
import type { TimedRequest } from './monitor-report';

/** One operation of a run; it throws when the operation failed. */
export type Operation = (index: number) => Promise<void>;

export interface DriveResult {
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  readonly latency: LatencySummary;
  readonly errors: number;
  /** Failures by message (e.g. `HTTP 409`), so that a non-zero count says what went wrong. */
  readonly errorKinds: Record<string, number>;
}

export interface OpenLoopResult extends DriveResult {
  /** How late the generator itself sent (actual − scheduled): client-side share of the latency. */
  readonly sendLag: LatencySummary;
  /** Every request, due time (ms since the epoch) and latency: to match the tail against pauses. */
  readonly requests: TimedRequest[];
}

class Tally {
  readonly latencies = new Latencies();
  readonly errorKinds: Record<string, number> = {};
  readonly requests: TimedRequest[] = [];
  errors = 0;

  async measure(op: Operation, index: number, from: number): Promise<void> {
    try {
      await op(index);
    } catch (error) {
      this.errors++;
      const kind = error instanceof Error ? error.message : String(error);
      this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
    }
    const ms = performance.now() - from;
    this.latencies.add(ms);
    this.requests.push({ due: performance.timeOrigin + from, ms });
  }

  result(ops: number, started: number): DriveResult {
    const seconds = (performance.now() - started) / 1000;
    return {
      ops,
      seconds,
      opsPerSecond: ops / seconds,
      latency: this.latencies.summary(),
      errors: this.errors,
      errorKinds: this.errorKinds,
    };
  }
}

/**
 * Closed loop: `concurrency` workers, each starting its next operation when the previous one
 * answered. Measures capacity; stops after `total` operations or after `seconds`.
 */
export async function closedLoop(op: Operation, options: { concurrency: number; total?: number; seconds?: number }): Promise<DriveResult> {
  const tally = new Tally();
  const total = options.total ?? Infinity;
  const started = performance.now();
  const deadline = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total && performance.now() < deadline) {
      const index = next++;
      await tally.measure(op, index, performance.now());
      // A server sees each request arrive in its own event-loop turn; so do we. Without the hop,
      // operations that complete without real I/O (synchronous reads) would chain as microtasks
      // and starve timers, such as a conflict retry's backoff, until the run ends.
      await nextTurn();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return tally.result(next, started);
}

/**
 * Open loop: operation i is due at start + i/rate whether or not earlier ones answered, and its
 * latency counts from when it was due. A slow answer therefore delays no later send and is not
 * hidden (no coordinated omission); a generator that falls behind shows up in `sendLag`.
 * With `until`, the run goes on past `seconds` at the same rate until it answers true (a load
 * whose end is not known in advance, e.g. a rebuild, then lies wholly inside the run).
 */
export async function openLoop(op: Operation, options: { rate: number; seconds: number; until?: () => boolean }): Promise<OpenLoopResult> {
  const tally = new Tally();
  const sendLag = new Latencies();
  const minimum = Math.round(options.rate * options.seconds);
  const until = options.until ?? (() => true);
  const interval = 1000 / options.rate;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let total = 0;
  for (; total < minimum || !until(); total++) {
    const i = total;
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sent = performance.now();
    sendLag.add(sent - due);
    // Timers may fire up to a millisecond early: never count from after the actual send.
    pending.push(tally.measure(op, i, Math.min(due, sent)));
  }
  await Promise.all(pending);
  return { ...tally.result(total, started), sendLag: sendLag.summary(), requests: tally.requests };
}
