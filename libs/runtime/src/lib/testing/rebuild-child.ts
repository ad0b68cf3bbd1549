import { defaultManagerSettings, PersonalDataKeys, ProjectionManager, withPersonalData, type PartitionedFold } from '@wih/application';
import { PROJECTIONS } from '@wih/projections';
import { join } from 'node:path';
import { workerPartitions } from '../rebuild-workers';
import { loadSettings } from '../settings';
import { openEventStore, openKeyStore, openReadStore } from '../stores';

/**
 * A projector process for the partitioned-rebuild crash test (run from dist/):
 * `node rebuild-child.js <dataDir> <threads> [holdMs]` runs every projection's manager with rebuilds
 * folded on worker threads, until SIGTERM or SIGKILL. It prints `folding <name>` when a partitioned
 * fold starts and `folded <name>` when its threads returned, then waits `holdMs` before the runner
 * commits what they folded (a fixed point to be killed at).
 */
const [dataDir, threads = '2', holdMs = '0'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: rebuild-child <dataDir> [threads] [holdMs]');

const settings = loadSettings({ DATA_DIR: dataDir, REBUILD_THREADS: threads });
const events = openEventStore(settings);
const reads = openReadStore(settings);
const keyStore = openKeyStore(settings);
const workers = workerPartitions(settings, { script: join(__dirname, '../rebuild-worker.js') }) as PartitionedFold;
const partitions: PartitionedFold = {
  partitions: workers.partitions,
  fold: async (projection, upto, signal) => {
    process.stdout.write(`folding ${projection}\n`);
    const parts = await workers.fold(projection, upto, signal);
    process.stdout.write(`folded ${projection}\n`);
    await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
    return parts;
  },
};
const owner = `rebuild-child:${process.pid}`;
const opened = withPersonalData(events, new PersonalDataKeys(keyStore));
const managers = PROJECTIONS.map(
  (projection) => new ProjectionManager(projection, opened, reads, { ...defaultManagerSettings(owner), leaseTtlMs: 400, partitions }),
);

process.once('SIGTERM', () => {
  void (async () => {
    for (const manager of managers) await manager.stop();
    await Promise.all([reads.close(), events.close(), keyStore.close()]);
    process.exit(0);
  })();
});

void (async () => {
  for (const manager of managers) await manager.start();
  process.stdout.write(`started ${owner}\n`);
})();
