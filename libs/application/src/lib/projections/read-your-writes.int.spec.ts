import { openSqliteEventStore, type SqliteEventStore } from '@wih/event-store';
import { casesProjection, type Projection } from '@wih/projections';
import { SqliteReadStore } from '@wih/read-store';
import { join } from 'node:path';
import { ProjectionManager } from './manager';
import { ProjectionLaggingError, ReadModels } from './read-models';
import { assignedCaseworker, fastRunnerSettings, recordVisit, removeDir, tempDir, today, waitForHead, writeCase } from './testing/fixtures';

const cases = casesProjection as unknown as Projection<unknown>;

/**
 * Far beyond every test's timeout: no subscription and no wait is ended by a poll or its deadline
 * here, only by the stores' commit signals (decision 0043); a lost wake-up fails the test by its timeout.
 */
const NEVER = 600_000;

/**
 * The API's layout on one data directory: the main thread's connections (commands append, queries
 * wait) and the projector's own (the projection thread or apps/projector), as separate handles.
 */
let dir: string;
let commands: SqliteEventStore;
let queries: SqliteReadStore;
let projectorLog: SqliteEventStore;
let projectorReads: SqliteReadStore;
let manager: ProjectionManager;
let models: ReadModels;

beforeEach(async () => {
  dir = tempDir('wih-ryw-');
  // Without the data_version checks (other processes: the stores' own suites): what wakes here is
  // the handle's own commits and the channel between the handles of this process, nothing else
  // (not the lease renewals either).
  const log = () => openSqliteEventStore(dir, { durability: 'normal', pollIntervalMs: NEVER, watchIntervalMs: NEVER });
  commands = log();
  projectorLog = log();
  projectorReads = new SqliteReadStore(join(dir, 'read.sqlite'), { watchIntervalMs: NEVER });
  queries = new SqliteReadStore(join(dir, 'read.sqlite'), { watchIntervalMs: NEVER });
  manager = new ProjectionManager(cases, projectorLog, projectorReads, { ...fastRunnerSettings, leaseTtlMs: 300, owner: 'projector' });
  models = new ReadModels(queries, NEVER, commands, NEVER);
  await writeCase(commands, 1, { visits: 1 });
  await manager.start();
  await waitForHead(commands, queries, 'cases@1');
});
afterEach(async () => {
  await manager.stop();
  for (const store of [queries, projectorReads, projectorLog, commands]) await store.close();
  removeDir(dir);
});

describe('read-your-writes waits, woken by commits', () => {
  it('wakes a wait that started just before the command, once the projection committed it', async () => {
    const caseId = await writeCase(commands, 2, { visits: 0 });
    await waitForHead(commands, queries, 'cases@1');
    const actor = await assignedCaseworker(commands, caseId);
    if (!actor) throw new Error('the case has no assigned caseworker');
    // The position the next append gets: the wait starts before it is written.
    const next = (await commands.headPosition()) + 1n;
    const waiting = models.waitFor('cases', next, NEVER);
    const { position, revision } = await recordVisit(commands, caseId, actor, today());
    expect(position).toBeGreaterThanOrEqual(next);
    await waiting;
    const found = await models.case(caseId);
    expect(found?.position).toBe(position);
    expect(found?.doc).toMatchObject({ caseId, revision });
  });

  it('wakes once the log passes a position of another category, which the projection never reaches', async () => {
    const next = (await commands.headPosition()) + 1n;
    const waiting = models.waitFor('cases', next, NEVER);
    // Only the log's own signal can end this wait: the cases checkpoint does not move.
    const { position } = await commands.append(
      'activity-4b0e2f1e-6a0b-4c1e-9d7e-2f3a4b5c6d7e',
      [
        {
          id: '2b8f0c2e-3f3e-4a44-8d6f-5e1f7a9c0b1d',
          type: 'ActivityRecorded',
          data: {},
          metadata: {
            commandId: 'c',
            correlationId: 'c',
            userId: 'anna',
            role: 'caseworker',
            businessDate: today(),
            recordedAt: new Date().toISOString(),
            schemaVersion: 2,
          },
        },
      ],
      'no-stream',
    );
    expect(position).toBe(next);
    await waiting;
    expect(await queries.getCheckpoint('cases@1')).toBeLessThan(position);
  });

  it('answers ProjectionLaggingError at the deadline for a position never written', async () => {
    const beyond = (await commands.headPosition()) + 1000n;
    await expect(models.waitFor('cases', beyond, 300)).rejects.toBeInstanceOf(ProjectionLaggingError);
  });
});
