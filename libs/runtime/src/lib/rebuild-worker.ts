import { foldPartition, PersonalDataKeys, withPersonalData, type FoldedPartition } from '@wih/application';
import { projectionByName } from '@wih/projections';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { Settings } from './settings';
import { openEventStore, openKeyStore } from './stores';

/** What `workerPartitions` hands each thread. */
export interface PartitionJob {
  readonly settings: Settings;
  readonly projection: string;
  readonly index: number;
  readonly count: number;
  readonly upto: bigint;
}

/** What a thread tells the rebuild: how far it has read, then its folded part. */
export type ThreadMessage =
  { readonly type: 'progress'; readonly events: number } | { readonly type: 'folded'; readonly folded: FoldedPartition };

/** Progress goes out at most this often (ms): a message per batch would cost more than it tells. */
const PROGRESS_MS = 250;

/**
 * One thread of a partitioned rebuild: opens the event store as every process does (upcasting,
 * personal data opened under the households' keys), folds its part of the log up to `upto`, and
 * sends back the documents as JSON text with their index values, so the writing thread only inserts.
 */
async function run(job: PartitionJob): Promise<void> {
  const projection = projectionByName(job.projection);
  if (!projection) throw new Error(`unknown projection ${job.projection}`);
  const keyStore = openKeyStore(job.settings);
  const events = openEventStore(job.settings);
  try {
    const opened = withPersonalData(events, new PersonalDataKeys(keyStore));
    const [cpu, wall] = [threadCpuMs(), performance.now()];
    const folded = await foldPartition(projection, opened, { index: job.index, count: job.count }, job.upto, undefined, progressReporter());
    const used = threadCpuMs();
    const measured = {
      ...folded,
      wallMs: performance.now() - wall,
      ...(used !== undefined && cpu !== undefined ? { threadCpuMs: used - cpu } : {}),
    };
    post({ type: 'folded', folded: measured });
  } finally {
    await Promise.all([events.close(), keyStore.close()]);
  }
}

const post = (message: ThreadMessage) => parentPort?.postMessage(message);

/** Sums the events read and sends the sum at most every PROGRESS_MS; the part's result carries its exact total. */
function progressReporter(): (events: number) => void {
  let pending = 0;
  let sent = performance.now();
  return (events) => {
    pending += events;
    if (performance.now() - sent < PROGRESS_MS) return;
    post({ type: 'progress', events: pending });
    [pending, sent] = [0, performance.now()];
  };
}

/** This thread's CPU time (user + system) where Linux tells it (`/proc/thread-self/stat`, clock ticks of 10 ms); else undefined. */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

// A failure is an unhandled rejection: the thread ends with an 'error' event in the parent.
if (parentPort) void run(workerData as PartitionJob);
