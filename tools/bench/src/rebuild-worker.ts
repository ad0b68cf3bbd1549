import { parentPort, workerData } from 'node:worker_threads';
import { rebuildInProcess, type RebuildInput } from './rebuild-projections';

// A worker thread of `rebuildInWorkers`: one projection, reported back to the parent.
void rebuildInProcess(workerData as RebuildInput).then((result) => parentPort?.postMessage(result));
