import {
  collectionSpecOf,
  defaultRunnerSettings,
  PersonalDataKeys,
  ProjectionRunner,
  withPersonalData,
  type PartitionedFold,
  type RunnerSettings,
} from '@wih/application';
import { parseHistory, writeHistoryDataDir, type HistoryKeys, type HistoryOutputs } from '@wih/application/testing';
import { CASE_CATEGORY } from '@wih/domain';
import { PROJECTIONS, type Projection } from '@wih/projections';
import { openSqliteReadStore, type ReadStore } from '@wih/read-store';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { workerPartitions } from './rebuild-workers';
import { loadSettings, type Settings } from './settings';
import { openEventStore, openKeyStore } from './stores';

/**
 * Rebuilds folded on worker threads (the compiled worker from dist/, built here): on the recorded
 * history v2 (sealed personal data, erased households) read as production reads it, they give the
 * committed expected outputs, like the runner's own fold.
 */
const root = resolve(__dirname, '../../../..');
const script = join(root, 'dist/libs/runtime/src/lib/rebuild-worker.js');
const fixture = (name: string) => readFileSync(join(root, 'test/fixtures', name), 'utf8');
const expected = JSON.parse(fixture('history-v2.expected.json')) as HistoryOutputs;

let dir: string;
let settings: Settings;

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'wih-rebuild-workers-'));
  await writeHistoryDataDir(dir, parseHistory(fixture('history-v2.jsonl')), JSON.parse(fixture('history-v2.keys.json')) as HistoryKeys);
  settings = loadSettings({ DATA_DIR: dir });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rebuilds `projection` into `collection` of a fresh read store (rebuild mode, as the manager runs it); returns its documents by id. */
async function rebuild(projection: Projection<unknown>, partitions: PartitionedFold | undefined, warnings: string[] = []) {
  const keyStore = openKeyStore(settings);
  const events = withPersonalData(openEventStore(settings), new PersonalDataKeys(keyStore));
  const reads: ReadStore = openSqliteReadStore(mkdtempSync(join(dir, 'reads-')));
  const runnerSettings: RunnerSettings = { ...defaultRunnerSettings, partitions };
  try {
    const runner = new ProjectionRunner(
      projection,
      `${projection.name}@1`,
      events,
      reads,
      runnerSettings,
      { warn: (m) => warnings.push(m) },
      'rebuild',
    );
    const abort = new AbortController();
    await runner.run(abort.signal, async () => abort.abort());
    expect(runner.lastError).toBeNull();
    const spec = collectionSpecOf(projection, `${projection.name}@1`);
    const docs = await reads.find(spec.name, { sortBy: spec.indexes[0], limit: 100_000 });
    return { docs: Object.fromEntries(docs.map((d) => [d.id, d.doc])), processed: runner.processed };
  } finally {
    await reads.close();
    await events.close();
    await keyStore.close();
  }
}

// The recorded histories hold case streams only: the projections of other categories (activities) have nothing to fold there.
it.each(
  PROJECTIONS.filter((p) => p.category === CASE_CATEGORY).flatMap(
    (p) =>
      [
        [p.name, p, 2],
        [p.name, p, 3],
      ] as const,
  ),
)(
  "%s on %d threads: the recorded history gives the committed outputs, as on the runner's thread",
  async (_name, projection, threads) => {
    let folds = 0;
    const workers = workerPartitions(settings, { threads, script }) as PartitionedFold;
    const counted: PartitionedFold = { partitions: threads, fold: (...args) => workers.fold(...args).then((parts) => (folds++, parts)) };
    const parallel = await rebuild(projection as Projection<unknown>, counted);
    expect(folds).toBe(1);
    expect(parallel.docs).toEqual(expected.projections[projection.name]);
    expect(parallel).toEqual(await rebuild(projection as Projection<unknown>, undefined));
  },
  60_000,
);

it('cases and timeline rebuilt at once on 2 threads fold in one pass and give the committed outputs', async () => {
  const requested: string[] = [];
  const workers = workerPartitions(settings, { threads: 2, script }) as PartitionedFold;
  const watched: PartitionedFold = {
    partitions: 2,
    fold: (name, ...rest) => (requested.push(name), workers.fold(name, ...rest)),
  };
  const both = PROJECTIONS.filter((p) => p.category === CASE_CATEGORY) as Projection<unknown>[];
  const results = await Promise.all(both.map((projection) => rebuild(projection, watched)));
  expect(requested.sort()).toEqual(both.map((p) => p.name).sort());
  both.forEach((projection, i) => expect(results[i].docs).toEqual(expected.projections[projection.name]));
}, 60_000);

it('a worker that cannot start leaves the rebuild to the runner, which ends with the same documents', async () => {
  const warnings: string[] = [];
  const broken = workerPartitions(settings, { threads: 2, script: join(dir, 'no-such-worker.js') });
  const cases = PROJECTIONS[0] as Projection<unknown>;
  const result = await rebuild(cases, broken, warnings);
  expect(warnings).toEqual(['partitioned rebuild failed; folding on one thread']);
  expect(result.docs).toEqual(expected.projections[cases.name]);
}, 60_000);

it('one thread (REBUILD_THREADS=1) means no partitioned fold', () => {
  expect(workerPartitions(settings, { threads: 1 })).toBeUndefined();
  expect(workerPartitions(loadSettings({ DATA_DIR: dir, REBUILD_THREADS: '1' }))).toBeUndefined();
  expect(workerPartitions(loadSettings({ DATA_DIR: dir, REBUILD_THREADS: '3' }))?.partitions).toBe(3);
  expect(() => loadSettings({ REBUILD_THREADS: '0' })).toThrow(/REBUILD_THREADS/);
});
