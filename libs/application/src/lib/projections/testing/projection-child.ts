import { PROJECTIONS } from '@wih/projections';
import { ProjectionManager } from '../manager';
import { fastRunnerSettings, openEvents, openReads } from './fixtures';

/**
 * A projector process for crash tests (crash.int.spec.ts runs the compiled file from dist/):
 * `node projection-child.js <dataDir> [batchSize] [rebuildBatchSize]` runs every projection's manager on the stores
 * in <dataDir> until SIGTERM (clean stop: runners stopped, leases released) or SIGKILL.
 */
const [dataDir, batchSize = '7', rebuildBatchSize = String(fastRunnerSettings.rebuildBatchSize)] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: projection-child <dataDir> [batchSize] [rebuildBatchSize]');

const events = openEvents(dataDir);
const reads = openReads(dataDir);
const owner = `crash-child:${process.pid}`;
const managers = PROJECTIONS.map((projection) => new ProjectionManager(projection, events, reads, {
  ...fastRunnerSettings, batchSize: Number(batchSize), rebuildBatchSize: Number(rebuildBatchSize), leaseTtlMs: 400, owner,
}));

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
