/**
 * Preloaded into the API child (`node --require …/loop-monitor.js`) only when the append benchmark
 * runs with `--monitor`: records what holds the event loop (GC pauses by kind, loop blocks, the
 * store's commits and WAL checkpoints) between a `start` and a `stop` message on the IPC channel,
 * and answers `stop` with a report. Nothing here runs in a normal `npm start`.
 */
import { CHECKPOINT_CHANNEL, COMMIT_CHANNEL, type StoreTiming } from '@wih/event-store';
import diagnosticsChannel from 'node:diagnostics_channel';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { summarize, type MonitorReport, type Pause } from './monitor-report';

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'gc scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'gc mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'gc incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'gc weak callbacks',
};
/** The loop is sampled every TICK_MS; a tick later than that by BLOCK_MS or more is a block. */
const TICK_MS = 2;
const BLOCK_MS = 3;

const epoch = (relative: number): number => performance.timeOrigin + relative;

class Recorder {
  readonly pauses: Pause[] = [];
  readonly commits: StoreTiming[] = [];
  readonly checkpoints: StoreTiming[] = [];
  private readonly delay = monitorEventLoopDelay({ resolution: TICK_MS });
  private readonly gc = new PerformanceObserver((list) => list.getEntries().forEach((e) => this.onGc(e)));
  private ticker?: NodeJS.Timeout;
  private startedAt = 0;
  private cpu = process.cpuUsage();

  private readonly onCommit = (message: unknown) => this.commits.push(message as StoreTiming);
  private readonly onCheckpoint = (message: unknown) => this.checkpoints.push(message as StoreTiming);

  start(): void {
    this.startedAt = Date.now();
    this.cpu = process.cpuUsage();
    this.delay.enable();
    this.gc.observe({ entryTypes: ['gc'] });
    diagnosticsChannel.subscribe(COMMIT_CHANNEL, this.onCommit);
    diagnosticsChannel.subscribe(CHECKPOINT_CHANNEL, this.onCheckpoint);
    let last = performance.now();
    this.ticker = setInterval(() => {
      const now = performance.now();
      const late = now - last - TICK_MS;
      if (late >= BLOCK_MS) this.pauses.push({ at: epoch(last + TICK_MS), ms: late, cause: 'loop block' });
      last = now;
    }, TICK_MS);
  }

  stop(): MonitorReport {
    clearInterval(this.ticker);
    this.delay.disable();
    this.gc.disconnect();
    diagnosticsChannel.unsubscribe(COMMIT_CHANNEL, this.onCommit);
    diagnosticsChannel.unsubscribe(CHECKPOINT_CHANNEL, this.onCheckpoint);
    const cpu = process.cpuUsage(this.cpu);
    return summarize({
      windowMs: Date.now() - this.startedAt,
      cpuMs: (cpu.user + cpu.system) / 1000,
      delay: this.delay,
      pauses: this.pauses,
      commits: this.commits,
      checkpoints: this.checkpoints,
      heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
    });
  }

  private onGc(entry: PerformanceEntry): void {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
    this.pauses.push({ at: epoch(entry.startTime), ms: entry.duration, cause: GC_KINDS[kind] ?? `gc kind ${kind}` });
  }
}

let recorder: Recorder | undefined;

// Without an IPC channel (a plain start) the monitor stays inert.
if (process.send) {
  process.channel?.unref();
  process.on('message', (message: { monitor?: string }) => {
    if (message?.monitor === 'start') {
      recorder = new Recorder();
      recorder.start();
    } else if (message?.monitor === 'stop' && recorder) {
      const report = recorder.stop();
      recorder = undefined;
      process.send?.({ monitor: 'report', report });
    }
  });
}
