import type { FoldedPartition, FoldProgress, PartitionedFold } from '@wih/application';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PartitionJob, ThreadMessage } from './rebuild-worker';
import type { Settings } from './settings';

/**
 * A fold makes a new document per event, most of which die young: a larger young generation
 * promotes fewer of them (measured on the benchmark's timeline fold: 16.0 → 13.8 s of CPU).
 */
const YOUNG_GENERATION_MB = 256;

export interface WorkerPartitionsOptions {
  /** Threads (default: the settings' `rebuildThreads`); below 2 there is no partitioned fold. */
  readonly threads?: number;
  /** The compiled worker script (default: beside this file; tests name the built one). */
  readonly script?: string;
}

/**
 * A rebuild's catch-up folded on `threads` worker threads, one part of the log each (split by
 * stream). The documents come back to the calling thread, which writes them with the read store it
 * holds: the read store keeps one writer.
 */
export function workerPartitions(settings: Settings, options: WorkerPartitionsOptions = {}): PartitionedFold | undefined {
  const count = options.threads ?? settings.rebuildThreads;
  if (count < 2) return undefined;
  const script = options.script ?? join(__dirname, 'rebuild-worker.js');
  // One fold at a time: its threads already take every core; two rebuilds at once would only share them.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    partitions: count,
    fold: (projection, upto, signal, onProgress) => {
      const next = queue.then(() => foldOnThreads(script, count, { settings, projection, upto }, signal, onProgress));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/** Every part at once, one thread each; one part failing stops the others (the runner folds alone then). */
async function foldOnThreads(
  script: string,
  count: number,
  job: Omit<PartitionJob, 'index' | 'count'>,
  signal: AbortSignal,
  onProgress?: FoldProgress,
): Promise<FoldedPartition[]> {
  const stop = new AbortController();
  const forward = () => stop.abort();
  signal.addEventListener('abort', forward, { once: true });
  try {
    return await Promise.all(
      Array.from({ length: count }, (_, index) =>
        foldOnThread(script, { ...job, index, count }, stop.signal, onProgress).catch((error: unknown) => {
          stop.abort();
          throw error;
        }),
      ),
    );
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

function foldOnThread(script: string, job: PartitionJob, signal: AbortSignal, onProgress?: FoldProgress): Promise<FoldedPartition> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('partitioned fold aborted'));
    const worker = new Worker(script, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    const abort = () => void worker.terminate();
    signal.addEventListener('abort', abort, { once: true });
    let result: FoldedPartition | null = null;
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'progress') onProgress?.(message.events);
      else result = message.folded;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal.removeEventListener('abort', abort);
      if (result && code === 0) resolve(result);
      else reject(new Error(`partition ${job.index} of ${job.count} ended with code ${code}${signal.aborted ? ' (aborted)' : ''}`));
    });
  });
}
