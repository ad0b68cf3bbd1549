import type { PartitionedFold } from './partitioned';

export interface RunnerSettings {
  readonly batchSize: number;
  /** A rebuild's catch-up reads larger batches (it commits rarely; each batch still yields to the event loop). */
  readonly rebuildBatchSize: number;
  /** A rebuild's catch-up commits after this many events read since its last commit, and when caught up. */
  readonly rebuildCommitEvents: number;
  /** A rebuild keeps at most this many documents in memory between its commits; beyond, it reads them back from the store. */
  readonly rebuildCachedDocs: number;
  /** Pauses before each retry of a throwing projection; after the last, the event is parked. */
  readonly retryDelaysMs: readonly number[];
  /** How often admin requests (retry / skip parked events) are looked for. */
  readonly requestPollMs: number;
  readonly now: () => Date;
  /**
   * A rebuild into an empty generation folds the log up to the head on these threads (split by
   * stream) and commits their documents at once; absent, or when it fails, the runner folds alone.
   */
  readonly partitions?: PartitionedFold;
}

export const defaultRunnerSettings: RunnerSettings = {
  batchSize: 500,
  rebuildBatchSize: 2_000,
  rebuildCommitEvents: 250_000,
  rebuildCachedDocs: 500_000,
  retryDelaysMs: [10, 100, 500],
  requestPollMs: 250,
  now: () => new Date(),
};

/**
 * `live`: commits every batch (documents and checkpoint), so queries see each event soon.
 * `rebuild`: fills a new generation that queries do not read yet. Its catch-up folds in memory and
 * commits every `rebuildCommitEvents` events, each changed document once per commit, into a table
 * without secondary indexes; when caught up it commits the rest, builds the indexes (and planner
 * statistics), and only then reports caught up. From then on it runs like a live runner.
 */
export type RunnerMode = 'live' | 'rebuild';

export interface RunnerLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const describeError = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
