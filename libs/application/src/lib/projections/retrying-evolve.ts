import type { ProjectedEvent, Projection } from '@wih/projections';
import { describeError } from './runner-settings';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A projection's evolve, tried again after each of `delaysMs` while it throws (a transient fault
 * passes; a bug does not, and the caller parks the event). Every attempt after a failed one waits
 * its delay first; `firstError`: the first attempt already failed (the runner's fast path).
 */
export async function evolveWithRetry(
  projection: Projection<unknown>,
  delaysMs: readonly number[],
  doc: unknown,
  event: ProjectedEvent,
  firstError: string | null,
): Promise<{ doc: unknown } | { error: string }> {
  let error = firstError ?? '';
  for (let attempt = firstError === null ? 0 : 1; ; attempt++) {
    if (attempt > 0) {
      if (attempt > delaysMs.length) return { error };
      await sleep(delaysMs[attempt - 1]);
    }
    try {
      return { doc: projection.evolve(doc, event) };
    } catch (caught) {
      error = describeError(caught);
    }
  }
}
