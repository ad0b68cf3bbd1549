import {
  DEFAULT_GATHER_MS,
  everyProjectionOf,
  outcomesByMember,
  sharedPass,
  type PartitionedFold,
  type PartOutcome,
  type PassOutcome,
  type PassRequest,
} from '@wih/application';
import { PROJECTIONS, projectionByName } from '@wih/projections';
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
  /** How long a pass waits for the other projections of its category (default DEFAULT_GATHER_MS). */
  readonly gatherMs?: number;
}

/**
 * A rebuild's catch-up folded on `threads` worker threads, one part of the log each (split by
 * stream), in passes shared by every rebuild of a category that runs meanwhile: each thread reads
 * and decodes its part once for all of them. The documents come back to the calling thread, which
 * writes them with the read store it holds: the read store keeps one writer.
 */
export function workerPartitions(settings: Settings, options: WorkerPartitionsOptions = {}): PartitionedFold | undefined {
  const count = options.threads ?? settings.rebuildThreads;
  if (count < 2) return undefined;
  const script = options.script ?? join(__dirname, 'rebuild-worker.js');
  return sharedPass((requests, signal, onProgress) => foldOnThreads(script, count, settings, requests, signal, onProgress), {
    partitions: count,
    categoryOf: (name) => projectionByName(name)?.category ?? name,
    complete: everyProjectionOf(PROJECTIONS),
    gatherMs: options.gatherMs ?? DEFAULT_GATHER_MS,
  });
}

/** Every part at once, one thread each; one part failing stops the others (every member's runner folds alone then). */
async function foldOnThreads(
  script: string,
  count: number,
  settings: Settings,
  requests: readonly PassRequest[],
  signal: AbortSignal,
  onProgress: (member: number, events: number) => void,
): Promise<PassOutcome[]> {
  const stop = new AbortController();
  const forward = () => stop.abort();
  signal.addEventListener('abort', forward, { once: true });
  try {
    const parts = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        foldOnThread(script, { settings, requests, index, count }, stop.signal, onProgress).catch((error: unknown) => {
          stop.abort();
          throw error;
        }),
      ),
    );
    return outcomesByMember(requests.length, parts);
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

function foldOnThread(
  script: string,
  job: PartitionJob,
  signal: AbortSignal,
  onProgress: (member: number, events: number) => void,
): Promise<readonly PartOutcome[]> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('partitioned fold aborted'));
    const worker = new Worker(script, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    const abort = () => void worker.terminate();
    signal.addEventListener('abort', abort, { once: true });
    let result: readonly PartOutcome[] | null = null;
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'progress') message.events.forEach((events, member) => events > 0 && onProgress(member, events));
      else result = message.outcomes;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal.removeEventListener('abort', abort);
      if (result && code === 0) resolve(result);
      else reject(new Error(`partition ${job.index} of ${job.count} ended with code ${code}${signal.aborted ? ' (aborted)' : ''}`));
    });
  });
}
