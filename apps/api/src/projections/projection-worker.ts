import { PersonalDataKeys, type ProjectionManager, type ProjectionStatus } from '@wih/application';
import { openEventStore, openKeyStore, openReadStore, projectionManagers, workerPartitions, type Settings } from '@wih/runtime';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * The projections of the API process, on a thread of their own (RUN_PROJECTIONS=true, compiled
 * API): what apps/projector runs, with its own store connections, so that reading the log and
 * writing the read models never holds the event loop that answers requests. The lease in the read
 * store makes it one more projector; the API's main thread asks it for the projections' status.
 */
export interface WorkerRequest {
  readonly id: number;
  readonly type: 'status' | 'stop';
}

export type WorkerMessage =
  | { readonly type: 'started' }
  | { readonly type: 'failed'; readonly error: string }
  /** The runners' warnings, logged by the main thread's logger (one writer on stdout, one redaction). */
  | { readonly type: 'warn'; readonly message: string; readonly fields?: Record<string, unknown> }
  | { readonly id: number; readonly type: 'status'; readonly statuses: ProjectionStatus[] }
  | { readonly id: number; readonly type: 'stopped' }
  /** A request that failed (a store that did not answer): the main thread's caller gets the error. */
  | { readonly id: number; readonly type: 'error'; readonly error: string };

/**
 * The answer to one request of the main thread. Never rejects: a rejection in the worker would be
 * unhandled, end the thread and, as an 'error' event, reach the main thread.
 */
export async function answer(
  request: WorkerRequest,
  managers: readonly Pick<ProjectionManager, 'status' | 'stop'>[],
  close: () => Promise<unknown>,
): Promise<WorkerMessage> {
  try {
    if (request.type === 'status') return { id: request.id, type: 'status', statuses: await Promise.all(managers.map((m) => m.status())) };
    await Promise.all(managers.map((m) => m.stop()));
    await close();
    return { id: request.id, type: 'stopped' };
  } catch (error) {
    return { id: request.id, type: 'error', error: error instanceof Error ? error.message : String(error) };
  }
}

async function run(port: NonNullable<typeof parentPort>, settings: Settings): Promise<void> {
  const send = (message: WorkerMessage) => port.postMessage(message);
  // The main thread's appends wake this thread's subscriptions at once (a channel per file, decision 0043).
  const events = openEventStore(settings);
  // The projections commit on this handle: the WAL is copied back beside them, not inside a commit (decision 0048).
  const reads = openReadStore(settings, { checkpoints: 'background' });
  const keyStore = openKeyStore(settings);
  const log = { warn: (message: string, fields?: Record<string, unknown>) => send({ type: 'warn', message, fields }) };
  // Like apps/projector: personal data opened with the households' keys, rebuilds folded on threads.
  const managers = [...projectionManagers(events, reads, new PersonalDataKeys(keyStore), 'api', log, workerPartitions(settings)).values()];
  for (const manager of managers) await manager.start();
  const close = () => Promise.all([events.close(), reads.close(), keyStore.close()]);
  port.on('message', (request: WorkerRequest) => {
    void answer(request, managers, close).then((message) => {
      send(message);
      if (request.type === 'stop') port.close();
    });
  });
  send({ type: 'started' });
}

if (parentPort) {
  const port = parentPort;
  run(port, (workerData as { settings: Settings }).settings).catch((error: unknown) =>
    port.postMessage({ type: 'failed', error: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage),
  );
}
