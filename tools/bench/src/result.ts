import type { DriveResult, OpenLoopResult } from './drive';
import type { MonitorSummary } from './monitor-report';

/** `baseline`: raw SQLite, the denominator of every ratio; `info`: context, not a target. */
export type Kind = 'baseline' | 'measured' | 'info';

export interface RunResult extends DriveResult {
  readonly name: string;
  readonly kind: Kind;
  /** Concurrency conflicts retried inside the command handler (in-process runs only). */
  readonly conflicts?: number;
  readonly sendLag?: OpenLoopResult['sendLag'];
  readonly note?: string;
  /** The API's event loop during the run (`--monitor`). */
  readonly monitor?: MonitorSummary;
}

export const named = (name: string, kind: Kind, result: DriveResult, extra: Partial<RunResult> = {}): RunResult => ({
  name,
  kind,
  ...result,
  ...extra,
});
