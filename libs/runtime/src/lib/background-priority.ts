import { getPriority, setPriority } from 'node:os';

/**
 * The nice value of threads whose work may wait (decision 0045): the evaluation threads and a
 * rebuild's fold threads. The API's main thread, the projection thread and the store's checkpointer
 * keep the process's priority, so on few cores a command is answered before a report is computed.
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority to `nice` (never raises it: that needs a
 * privilege). Linux only: there the nice value belongs to the thread (NPTL), so `setpriority(0)`
 * from a worker thread leaves the rest of the process as it was; elsewhere it would lower the whole
 * process, so it is left alone. Returns whether the thread now runs at `nice` or lower priority.
 */
export function lowerThisThreadsPriority(nice: number = BACKGROUND_NICE): boolean {
  if (process.platform !== 'linux') return false;
  try {
    if (getPriority() < nice) setPriority(nice);
    return getPriority() >= nice;
  } catch {
    return false; // a sandbox that forbids it: run at the process's priority rather than not at all
  }
}
