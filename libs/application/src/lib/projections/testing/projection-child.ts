import { PROJECTIONS } from '@wih/projections';
import { MongoReadStore, type CommitStep, type ReadStore } from '@wih/read-store';
import { ProjectionManager } from '../manager';
import { fastRunnerSettings, openEvents, openReads } from './fixtures';

/**
 * A projector process for crash tests (crash.int.spec.ts runs the compiled file from dist/):
 * `node projection-child.js <dataDir> [batchSize] [rebuildBatchSize]` runs every projection's manager on the stores
 * in <dataDir> until SIGTERM (clean stop: runners stopped, leases released) or SIGKILL.
 *
 * With CRASH_MONGO_URL and CRASH_MONGO_DB the read store is that MongoDB database (bulk writes of
 * CRASH_MONGO_BATCH documents), and CRASH_KILL_AT=`<step>:<n>` makes the process SIGKILL itself at
 * the n-th commit step of that kind: `batch` (a bulk write done, maybe more of its commit to come)
 * or `documents-written` (all of a commit's documents written, its checkpoint not yet moved).
 */
const [dataDir, batchSize = '7', rebuildBatchSize = String(fastRunnerSettings.rebuildBatchSize)] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: projection-child <dataDir> [batchSize] [rebuildBatchSize]');

const killer = (spec: string | undefined): ((step: CommitStep) => void) | undefined => {
  if (!spec) return undefined;
  const [kind, n] = spec.split(':');
  let seen = 0;
  return (step) => {
    if (step.kind === kind && ++seen === Number(n)) process.kill(process.pid, 'SIGKILL');
  };
};

const openReadStore = (): ReadStore => {
  const url = process.env['CRASH_MONGO_URL'];
  if (!url) return openReads(dataDir);
  const options = { onCommitStep: killer(process.env['CRASH_KILL_AT']), batchOperations: Number(process.env['CRASH_MONGO_BATCH'] ?? 1000) };
  return new MongoReadStore(url, process.env['CRASH_MONGO_DB'], options);
};

const events = openEvents(dataDir);
const reads = openReadStore();
const owner = `crash-child:${process.pid}`;
const managers = PROJECTIONS.map(
  (projection) =>
    new ProjectionManager(projection, events, reads, {
      ...fastRunnerSettings,
      batchSize: Number(batchSize),
      rebuildBatchSize: Number(rebuildBatchSize),
      leaseTtlMs: 400,
      owner,
    }),
);

async function main(): Promise<void> {
  for (const manager of managers) await manager.start();
  process.stdout.write(`started ${owner}\n`);
}

process.once('SIGTERM', () => {
  void (async () => {
    for (const manager of managers) await manager.stop();
    const statuses = await Promise.all(managers.map((m) => m.status()));
    process.stdout.write(`stopped ${JSON.stringify(statuses.map((s) => ({ name: s.name, lastError: s.lastError })))}\n`);
    await reads.close();
    await events.close();
    process.exit(0);
  })();
});

main().catch((error: unknown) => {
  process.stderr.write(`projection child failed: ${String(error)}\n`);
  process.exit(1);
});
