import { collectionSpecOf, defaultManagerSettings, ProjectionManager, readActive } from '@wih/application';
import {
  buildDist,
  ChildProcesses,
  parseHistory,
  writeHistoryDataDir,
  type HistoryKeys,
  type HistoryOutputs,
} from '@wih/application/testing';
import { PROJECTIONS, type Projection } from '@wih/projections';
import type { ReadStore } from '@wih/read-store';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSettings } from './settings';
import { openEventStore, openReadStore } from './stores';

/**
 * A projector whose rebuild folds on worker threads is killed with SIGKILL while the threads fold,
 * and another after they folded but before the commit: nothing of the new generation was committed,
 * queries stay on the old one, and the next projector folds again from the start and switches over;
 * the result is the recorded history's committed output.
 * The child is testing/rebuild-child.ts, compiled to dist/ by tools/build.mjs.
 */
const root = resolve(__dirname, '../../../..');
const childJs = join(root, 'dist/libs/runtime/src/lib/testing/rebuild-child.js');
const fixture = (name: string) => readFileSync(join(root, 'test/fixtures', name), 'utf8');
const expected = JSON.parse(fixture('history-v2.expected.json')) as HistoryOutputs;
const children = new ChildProcesses(root);
let dir: string;

beforeAll(async () => {
  buildDist(root);
  dir = mkdtempSync(join(tmpdir(), 'wih-rebuild-crash-'));
  await writeHistoryDataDir(dir, parseHistory(fixture('history-v2.jsonl')), JSON.parse(fixture('history-v2.keys.json')) as HistoryKeys);
}, 60_000);
afterAll(() => {
  children.killAll();
  rmSync(dir, { recursive: true, force: true });
});

const startChild = (holdMs = 0) => children.start(childJs, [dir, '2', String(holdMs)]);

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const docsOf = async (reads: ReadStore, projection: Projection<unknown>, collection: string) => {
  const spec = collectionSpecOf(projection, collection);
  return Object.fromEntries((await reads.find(collection, { sortBy: spec.indexes[0], limit: 100_000 })).map((d) => [d.id, d.doc]));
};

it('killed while its threads fold or before their commit, a partitioned rebuild left nothing behind; the next projector rebuilds and switches, equal to the recorded output', async () => {
  const settings = loadSettings({ DATA_DIR: dir });
  const events = openEventStore(settings);
  const reads = openReadStore(settings);
  try {
    // Rebuild requests are records: this process only writes them, the child carries them out.
    for (const projection of PROJECTIONS) {
      const requester = new ProjectionManager(projection as Projection<unknown>, events, reads, {
        ...defaultManagerSettings('admin'),
        leaseTtlMs: 400,
      });
      expect((await requester.startRebuild()).started).toBe(true);
    }
    // Killed as its threads start, then (another projector) after they returned, before the commit.
    for (const [holdMs, killOn] of [
      [0, 'folding cases'],
      [60_000, 'folded cases'],
    ] as const) {
      const child = startChild(holdMs);
      await waitFor(`"${killOn}" (child output: ${child.output()})`, () => child.output().includes(killOn));
      child.process.kill('SIGKILL');
      expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(await reads.getCheckpoint('cases@2')).toBeNull();
      expect((await readActive(reads, 'cases'))?.generation).toBe(1);
    }

    const second = startChild();
    await waitFor(
      `both rebuilds switched (child output: ${second.output()})`,
      async () => (await readActive(reads, 'cases'))?.generation === 2 && (await readActive(reads, 'timeline'))?.generation === 2,
    );
    second.process.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.output()).toContain('folded cases');
    expect(second.output()).toContain('folded timeline');
    for (const projection of PROJECTIONS) {
      expect(await docsOf(reads, projection as Projection<unknown>, `${projection.name}@2`)).toEqual(expected.projections[projection.name]);
    }
  } finally {
    await reads.close();
    await events.close();
  }
}, 60_000);
