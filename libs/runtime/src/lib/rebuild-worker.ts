import { foldPartitionPass, PersonalDataKeys, withPersonalData, type PartOutcome, type PassRequest } from '@wih/application';
import { projectionByName } from '@wih/projections';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadsPriority } from './background-priority';
import type { Settings } from './settings';
import { openEventStore, openKeyStore } from './stores';

/** What `workerPartitions` hands each thread. */
export interface PartitionJob {
  readonly settings: Settings;
  /** The pass's members: every projection folded from this thread's one reading of its part. */
  readonly requests: readonly PassRequest[];
  readonly index: number;
  readonly count: number;
}

/** What a thread tells the rebuild: how far it has read for each member, then each member's folded part (or its failure). */
export type ThreadMessage =
  | { readonly type: 'progress'; readonly events: readonly number[] }
  | { readonly type: 'folded'; readonly outcomes: readonly PartOutcome[] };

/** Progress goes out at most this often (ms): a message per batch would cost more than it tells. */
const PROGRESS_MS = 250;

/**
 * One thread of a partitioned rebuild pass: opens the event store as every process does (upcasting,
 * personal data opened under the households' keys), reads its part of the log once up to the
 * members' heads, folds it into every member's documents, and sends them back as JSON text with
 * their index values, so the writing thread only inserts.
 */
async function run(job: PartitionJob): Promise<void> {
  // A rebuild may take longer; the commands and reads beside it should not (decision 0045).
  lowerThisThreadsPriority();
  const members = job.requests.map(({ projection: name, upto }) => {
    const projection = projectionByName(name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    return { projection, upto };
  });
  const keyStore = openKeyStore(job.settings);
  const events = openEventStore(job.settings);
  try {
    const opened = withPersonalData(events, new PersonalDataKeys(keyStore));
    const [cpu, wall] = [threadCpuMs(), performance.now()];
    const report = progressReporter(members.length);
    const outcomes = await foldPartitionPass(members, opened, { index: job.index, count: job.count }, undefined, report);
    const used = threadCpuMs();
    // The thread's figures are the pass's: every member's part carries them.
    const measured = {
      wallMs: performance.now() - wall,
      ...(used !== undefined && cpu !== undefined ? { threadCpuMs: used - cpu } : {}),
    };
    post({ type: 'folded', outcomes: outcomes.map((outcome) => ('error' in outcome ? outcome : { ...outcome, ...measured })) });
  } finally {
    await Promise.all([events.close(), keyStore.close()]);
  }
}

const post = (message: ThreadMessage) => parentPort?.postMessage(message);

/** Sums the events read per member and sends the sums at most every PROGRESS_MS; the part's result carries the exact totals. */
function progressReporter(members: number): (member: number, events: number) => void {
  let pending = new Array<number>(members).fill(0);
  let sent = performance.now();
  return (member, events) => {
    pending[member] += events;
    if (performance.now() - sent < PROGRESS_MS) return;
    post({ type: 'progress', events: pending });
    [pending, sent] = [new Array<number>(members).fill(0), performance.now()];
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
