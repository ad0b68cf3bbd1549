import { LiveFacts, evaluate, type EvaluationJob } from '@wih/application';
import { lowerThisThreadsPriority, openEventStore, type Settings } from '@wih/runtime';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * An evaluation thread of the API (evaluation-threads.ts): keeps the evaluation facts live on its
 * own event-store connection (decision 0044) and computes the answer here, so a report over a long log never holds the event loop
 * that answers requests. Only the answer (anonymised, small) goes back. No key store: evaluation
 * never opens personal data.
 */
export type EvaluationRequest = { readonly type: 'evaluate'; readonly id: number; readonly job: EvaluationJob } | { readonly type: 'stop' };

export type EvaluationReply =
  | { readonly type: 'done'; readonly id: number; readonly answer: unknown }
  /** `name` lets the main thread raise the store's own error class (StoreUnavailableError → 503). */
  | { readonly type: 'failed'; readonly id: number; readonly error: { readonly name: string; readonly message: string } };

function run(port: NonNullable<typeof parentPort>, settings: Settings): void {
  // A report may take a second longer; a command waiting for a core behind it should not (decision 0045).
  lowerThisThreadsPriority();
  const events = openEventStore(settings);
  // The facts are folded as the thread starts, so the first answer as of now need not wait for a replay.
  const live = new LiveFacts(events);
  live.catchUp().catch(() => undefined); // a failure here is met again, and answered, by the first request
  // Between answers, the figures of the periods asked for lately follow the writes (decision 0047).
  const stopRefreshing = live.refreshEvery(settings.evaluation.refreshMs);
  port.on('message', (request: EvaluationRequest) => {
    if (request.type === 'stop') {
      stopRefreshing();
      void events.close().finally(() => port.close());
      return;
    }
    // Never rejects: an unhandled rejection would end the thread.
    evaluate(events, request.job, live).then(
      (answer) => port.postMessage({ type: 'done', id: request.id, answer } satisfies EvaluationReply),
      (error: unknown) => {
        const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
        port.postMessage({ type: 'failed', id: request.id, error: { name, message } } satisfies EvaluationReply);
      },
    );
  });
}

if (parentPort) run(parentPort, (workerData as { settings: Settings }).settings);
