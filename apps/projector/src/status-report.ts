import type { ProjectionStatus } from '@wih/application';

export interface StatusLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Logs every projection's status every `intervalMs`; returns the function that stops it. A store
 * that does not answer during a report is logged, per projection: a rejection left to the timer
 * would be unhandled and end the process, and with it the projections.
 */
export function reportStatusEvery(
  intervalMs: number,
  managers: readonly { status(): Promise<ProjectionStatus> }[],
  logger: StatusLogger,
): () => void {
  const report = async () => {
    for (const manager of managers) {
      try {
        logger.info(await manager.status(), 'projection status');
      } catch (error) {
        logger.error({ error: error instanceof Error ? error.message : String(error) }, 'projection status report failed');
      }
    }
  };
  const timer = setInterval(() => void report(), intervalMs);
  return () => clearInterval(timer);
}
