import { casesProjection, timelineProjection, type Projection } from '@wih/projections';
import type { SqliteEventStore } from '@wih/event-store';
import type { SqliteReadStore } from '@wih/read-store';
import { ProjectionManager } from './manager';
import { ProjectionRunner } from './runner';
import {
  assignedCaseworker,
  caseEvents,
  docsOf,
  fastRunnerSettings,
  foldLog,
  instrumented,
  openEvents,
  openReads,
  recordVisit,
  removeDir,
  sortedById,
  tempDir,
  today,
  waitForHead,
  waitUntil,
  writeCase,
  writeHistory,
} from './testing/fixtures';

const cases = casesProjection as unknown as Projection<unknown>;
const timeline = timelineProjection as unknown as Projection<unknown>;

let dir: string;
let events: SqliteEventStore;
let reads: SqliteReadStore;

beforeEach(() => {
  dir = tempDir();
  events = openEvents(dir);
  reads = openReads(dir);
});
afterEach(async () => {
  await reads.close();
  await events.close();
  removeDir(dir);
});

/** Runs a runner until its collection reached the head of the log, then stops it. */
async function runToHead(runner: ProjectionRunner): Promise<void> {
  const abort = new AbortController();
  const done = runner.run(abort.signal);
  try {
    await waitForHead(events, reads, runner.collection);
  } finally {
    abort.abort();
    await done;
  }
}

describe('ProjectionRunner over SQLite', () => {
  it('builds the documents a plain fold of the pure projection gives, and a replay from checkpoint 0 changes nothing', async () => {
    await writeHistory(events, 30, { visits: 4 });
    const expectedCases = await foldLog(events, cases);
    const expectedTimeline = await foldLog(events, timeline);
    expect(expectedCases.size).toBe(30);
    const statuses = [...expectedCases.values()].map((e) => (e.doc as { status: string }).status);
    expect(new Set(statuses)).toEqual(new Set(['referred', 'rejected', 'active', 'closed']));

    const counting = instrumented(cases);
    await runToHead(new ProjectionRunner(counting, 'cases@1', events, reads, { ...fastRunnerSettings, batchSize: 13 }));
    await runToHead(new ProjectionRunner(timeline, 'timeline@1', events, reads, { ...fastRunnerSettings, batchSize: 13 }));

    expect(await docsOf(reads, 'cases@1', cases)).toEqual(sortedById(expectedCases));
    expect(await docsOf(reads, 'timeline@1', timeline)).toEqual(sortedById(expectedTimeline));
    expect(counting.calls).toHaveLength((await caseEvents(events)).length);
    // The index columns follow the documents (the caseload filters on them).
    for (const status of ['referred', 'rejected', 'active', 'closed']) {
      expect(await reads.count('cases@1', [{ field: 'status', op: 'eq', value: status }])).toBe(
        statuses.filter((s) => s === status).length,
      );
    }

    // Replay: the same collection from checkpoint 0. Every event is skipped before `evolve` (position guard).
    const before = await docsOf(reads, 'cases@1', cases);
    await reads.deleteCheckpoint('cases@1');
    const replaying = instrumented(cases);
    await runToHead(new ProjectionRunner(replaying, 'cases@1', events, reads, { ...fastRunnerSettings, batchSize: 13 }));
    expect(replaying.calls).toEqual([]);
    expect(await docsOf(reads, 'cases@1', cases)).toEqual(before);
    expect(await reads.getCheckpoint('cases@1')).toBe(await events.headPosition('case'));
  });

  it('catches up a big history and goes live with no gap at the switch (events appended during and after catch-up)', async () => {
    await writeHistory(events, 260, { visits: 10 });
    const history = (await caseEvents(events)).length;
    expect(history).toBeGreaterThanOrEqual(2_800);

    const manager = new ProjectionManager(cases, events, reads, {
      ...fastRunnerSettings,
      batchSize: 20,
      leaseTtlMs: 300,
      owner: 'runner-test',
    });
    const seen: string[] = [];
    let duringCatchUp = 0;
    let afterCatchUp = 0;
    let n = 1_000;
    await manager.start();
    try {
      // Writers go on while the runner catches up, through the switch to live, and after it.
      for (;;) {
        const status = (await manager.status()).status;
        seen.push(status);
        const caseId = await writeCase(events, n++, { visits: 1 });
        const assigned = await assignedCaseworker(events, caseId);
        if (assigned) await recordVisit(events, caseId, assigned, today());
        if (status === 'catching-up') duringCatchUp++;
        if (status === 'running' && ++afterCatchUp >= 10) break;
        if (n > 3_000) throw new Error(`the runner did not catch up: ${seen.at(-1)}`);
      }
      await waitForHead(events, reads, 'cases@1');
      expect(duringCatchUp).toBeGreaterThan(0);
      expect(seen[0]).toBe('catching-up');
      expect(await docsOf(reads, 'cases@1', cases)).toEqual(sortedById(await foldLog(events, cases)));
      const status = await manager.status();
      expect(status).toMatchObject({ status: 'running', generation: 1, lag: '0', parked: 0, lastError: null });

      // Live: one more event shows up without restarting anything.
      const caseId = await writeCase(events, n++, { visits: 0 });
      await waitUntil('the new case to be projected', () => reads.get('cases@1', caseId));
      await waitForHead(events, reads, 'cases@1');
      expect(await docsOf(reads, 'cases@1', cases)).toEqual(sortedById(await foldLog(events, cases)));
    } finally {
      await manager.stop();
    }
  });
});
