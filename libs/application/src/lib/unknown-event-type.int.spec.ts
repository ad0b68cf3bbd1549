import type { SqliteEventStore, EventStore, NewEvent } from '@wih/event-store';
import { casesProjection, timelineProjection, type Projection } from '@wih/projections';
import type { SqliteReadStore } from '@wih/read-store';
import { handleCaseCommand } from './case-commands';
import { SCHEMA_VERSION } from './codec';
import { replayFacts } from './evaluation/replay';
import { ProjectionRunner } from './projections/runner';
import {
  caseEvents,
  caseworker,
  fastRunnerSettings,
  openEvents,
  openReads,
  recordVisit,
  removeDir,
  tempDir,
  today,
  writeCase,
  writeHistory,
} from './projections/testing/fixtures';
import { receiveReferral } from './receive-referral';
import { UPCASTERS } from './schema/upcasters';
import { UnknownEventTypeError } from './schema/upcasting';
import { withUpcasting } from './schema/with-upcasting';

/**
 * After a rollback past a release that added an event type, the log holds events this code does
 * not know. Every reader refuses them with a clear error instead of folding, projecting or
 * counting them as something else.
 */
const ACTIVE = 2; // writeCase: n % 6 === 2 leaves an active case assigned to cw-cem
const CEM = caseworker('cw-cem');
const NEWER = /^EventOfANewerRelease at (case|household)-[\w-]+@\d+ is not an event type this code reads/;

const newer = (id: string, data: Record<string, unknown> = { agreedOn: today() }): NewEvent => ({
  id,
  type: 'EventOfANewerRelease',
  data,
  metadata: {
    commandId: 'c',
    correlationId: 'c',
    userId: 'cw-cem',
    role: 'caseworker',
    businessDate: today(),
    recordedAt: new Date().toISOString(),
    schemaVersion: SCHEMA_VERSION,
  },
});

let dir: string;
let raw: SqliteEventStore;
/** The store as production opens it (runtime's openEventStore): every read goes through the upcaster chain. */
let store: EventStore;
let reads: SqliteReadStore | null;

beforeEach(() => {
  dir = tempDir('wih-unknown-type-');
  raw = openEvents(dir);
  store = withUpcasting(raw, UPCASTERS);
  reads = null;
});
afterEach(async () => {
  await reads?.close();
  await raw.close();
  removeDir(dir);
});

const appendNewer = async (stream: string, id = '00000000-0000-4000-8000-0000000000a1'): Promise<bigint> => {
  const revision = (await raw.readStream(stream)).length - 1;
  return (await raw.append(stream, [newer(id)], revision)).position;
};

describe('the write side', () => {
  it.each([
    ['the raw store', () => raw],
    ['the store as production opens it', () => store],
  ])('refuses a command on a case whose stream holds an unknown event type (%s)', async (_, storeOf) => {
    const caseId = await writeCase(raw, ACTIVE);
    await appendNewer(`case-${caseId}`);
    const refused = recordVisit(storeOf(), caseId, CEM, today());
    await expect(refused).rejects.toBeInstanceOf(UnknownEventTypeError);
    await expect(refused).rejects.toThrow(NEWER);
    // Nothing was written behind it.
    expect((await raw.readStream(`case-${caseId}`)).at(-1)?.type).toBe('EventOfANewerRelease');
  });

  it('refuses a referral for a household whose stream holds an unknown event type', async () => {
    const householdId = 'h-newer';
    await raw.append(`household-${householdId}`, [newer('00000000-0000-4000-8000-0000000000a2', { householdId })], 'no-stream');
    const refused = receiveReferral(
      raw,
      {
        householdId,
        receivedOn: today(),
        referralSource: 'jobcenter',
        targetGroup: 'recommitted',
        housingSituation: 'own_tenancy_at_risk',
        threatCauses: ['rent_arrears'],
        adults: 1,
        children: 0,
        existingAid: [],
        consentGiven: true,
        household: { name: 'Haushalt', address: 'Teststraße 1, 50667 Köln' },
      },
      CEM,
    );
    await expect(refused).rejects.toThrow(NEWER);
  });

  it('still handles commands on the other cases', async () => {
    const [poisoned, other] = [await writeCase(raw, ACTIVE), await writeCase(raw, ACTIVE + 6)];
    await appendNewer(`case-${poisoned}`);
    await expect(
      handleCaseCommand(
        store,
        (context) => ({
          type: 'RecordHomeVisit',
          caseId: other,
          context,
          data: { visitedOn: context.today, householdMet: true, concerns: [] },
        }),
        CEM,
      ),
    ).resolves.toMatchObject({ caseId: other, replayed: false });
  });
});

describe('the projections', () => {
  it.each([
    ['cases', casesProjection],
    ['timeline', timelineProjection],
  ] as const)('the %s runner stops at an unknown event type with a clear error and commits nothing past it', async (name, projection) => {
    const ids = await writeHistory(raw, 3, { visits: 1 });
    const unknownAt = await appendNewer(`case-${ids[1]}`);
    await writeCase(raw, 3);
    reads = openReads(dir);
    const runner = new ProjectionRunner(projection as Projection<unknown>, `${name}@1`, store, reads, {
      ...fastRunnerSettings,
      batchSize: 1,
    });
    const abort = new AbortController();
    let caughtUp = (): void => undefined;
    const running = runner.run(abort.signal, async () => caughtUp());
    // Before, the runner skipped the event and caught up past it.
    const outcome = await Promise.race([
      running.then(
        () => 'ended',
        (error: unknown) => error,
      ),
      new Promise((resolve) => (caughtUp = () => resolve('caught up'))),
    ]);
    abort.abort();
    await running.catch(() => undefined);
    expect(outcome).toBeInstanceOf(UnknownEventTypeError);
    expect((outcome as Error).message).toMatch(NEWER);
    // Every case event before it is projected; none from it on.
    const before = (await caseEvents(raw)).filter((e) => e.position < unknownAt).at(-1)?.position;
    expect(await reads.getCheckpoint(`${name}@1`)).toBe(before);
  });
});

describe('the evaluation replay', () => {
  it.each([
    ['the raw store', () => raw],
    ['the store as production opens it', () => store],
  ])('refuses a log that holds an unknown event type (%s)', async (_, storeOf) => {
    const ids = await writeHistory(raw, 2, { visits: 1 });
    await appendNewer(`case-${ids[0]}`);
    const replay = replayFacts(storeOf(), new Date(Date.now() + 60_000).toISOString());
    await expect(replay).rejects.toBeInstanceOf(UnknownEventTypeError);
    await expect(replay).rejects.toThrow(NEWER);
  });
});
