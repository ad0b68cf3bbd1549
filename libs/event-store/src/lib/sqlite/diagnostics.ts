import diagnosticsChannel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

/**
 * Timings of the embedded store's synchronous work, published on diagnostics channels so that a
 * monitor (the append benchmark's) can tell how long the event loop stood in a commit or a WAL
 * checkpoint. Publishing costs nothing while nobody subscribes.
 */
export interface StoreTiming {
  /** Wall-clock start, ms since the epoch (comparable across processes). */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Commits: appends written in the group. Checkpoints: WAL frames copied into the database. */
  readonly count: number;
}

export const COMMIT_CHANNEL = 'wih.event-store.sqlite.commit';
export const CHECKPOINT_CHANNEL = 'wih.event-store.sqlite.checkpoint';

const commits = diagnosticsChannel.channel(COMMIT_CHANNEL);
const checkpoints = diagnosticsChannel.channel(CHECKPOINT_CHANNEL);

/** Runs `work`, publishing its timing on the commit channel when someone listens. */
export const timedCommit = <T>(count: number, work: () => T): T => {
  if (!commits.hasSubscribers) return work();
  const start = performance.now();
  try {
    return work();
  } finally {
    const durationMs = performance.now() - start;
    commits.publish({ startedAt: performance.timeOrigin + start, durationMs, count } satisfies StoreTiming);
  }
};

export const publishCheckpoint = (timing: StoreTiming): void => {
  if (checkpoints.hasSubscribers) checkpoints.publish(timing);
};
