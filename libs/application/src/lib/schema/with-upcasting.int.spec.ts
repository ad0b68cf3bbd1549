import { openSqliteEventStore, type EventStore, type NewEvent, type RecordedEvent, type SqliteEventStore } from '@wih/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnknownSchemaVersionError, upcasterChain } from './upcasting';
import { withUpcasting } from './with-upcasting';

/** A made-up version 2 that renames `people` to `adults`; the stored rows stay at their version. */
const chain = upcasterChain({
  current: 2,
  steps: {
    2: {
      why: 'test',
      upcasters: { ReferralReceived: ({ type, data }) => ({ type, data: { adults: (data as { people: number }).people } }) },
    },
  },
});

const event = (id: string, schemaVersion: number, data: unknown): NewEvent => ({
  id,
  type: 'ReferralReceived',
  data,
  metadata: {
    commandId: 'c',
    correlationId: 'c',
    userId: 'u',
    role: 'caseworker',
    businessDate: '2025-03-01',
    recordedAt: '2025-03-01T09:00:00.000Z',
    schemaVersion,
  },
});

const collect = async (batches: AsyncIterable<RecordedEvent[]>): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
};

describe('withUpcasting on the embedded store', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let store: EventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wih-upcasting-'));
    raw = openSqliteEventStore(dir, { durability: 'normal', pollIntervalMs: 20 });
    store = withUpcasting(raw, chain);
    await raw.append(
      'case-a',
      [event('00000000-0000-4000-8000-000000000001', 1, { people: 2 }), event('00000000-0000-4000-8000-000000000002', 2, { adults: 3 })],
      'no-stream',
    );
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a stream, the log and the subscription at the current version', async () => {
    const expected = [{ adults: 2 }, { adults: 3 }];
    expect((await store.readStream('case-a')).map((e) => e.data)).toEqual(expected);
    expect((await collect(store.readAll({ category: 'case' }))).map((e) => e.data)).toEqual(expected);
    const controller = new AbortController();
    const live: RecordedEvent[] = [];
    for await (const batch of store.subscribe({ signal: controller.signal })) {
      live.push(...batch);
      if (live.length >= 2) controller.abort();
    }
    expect(live.map((e) => [e.data, e.metadata.schemaVersion])).toEqual([
      [{ adults: 2 }, 2],
      [{ adults: 3 }, 2],
    ]);
  });

  it('writes through unchanged: what was appended is stored as given', async () => {
    await store.append('case-b', [event('00000000-0000-4000-8000-000000000003', 1, { people: 5 })], 'no-stream');
    expect((await raw.readStream('case-b'))[0]).toEqual(
      expect.objectContaining({ data: { people: 5 }, metadata: expect.objectContaining({ schemaVersion: 1 }) }),
    );
  });

  it('fails every read that meets an event of an unknown version', async () => {
    await raw.append('case-a', [event('00000000-0000-4000-8000-000000000004', 3, { adults: 1, extra: true })], 1);
    await expect(store.readStream('case-a')).rejects.toThrow(UnknownSchemaVersionError);
    await expect(collect(store.readAll())).rejects.toThrow(/ReferralReceived at case-a@2 has schemaVersion 3/);
  });
});
