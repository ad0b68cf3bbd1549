import { DomainError } from '@wih/domain';
import { openSqliteEventStore, type SqliteEventStore } from '@wih/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdempotencyKeyReusedError } from '../errors';
import { replayFacts } from '../evaluation/replay';
import { defaultHandlerSettings, type Actor } from '../handle-command';
import { idempotencyRecord } from '../idempotency';
import { UnknownEventTypeError } from '../schema/upcasting';
import { activityStream } from '../streams';
import { recordActivity, type ActivityInput } from './record-activity';

const CLARA: Actor = { userId: 'user-clara', role: 'caseworker' };
const ID = '0c0ffee0-0000-4000-8000-00000000a001';
const input = (overrides: Partial<ActivityInput> = {}): ActivityInput => ({
  activityId: ID,
  on: '2025-03-04',
  kind: 'networking',
  partnerKinds: ['social_space_coordination'],
  district: 'ehrenfeld',
  hours: 3,
  participants: 25,
  ...overrides,
});
const at = (iso: string) => ({ ...defaultHandlerSettings, clock: () => new Date(iso) });
const keyed = (key: string, body: unknown) => ({
  idempotency: idempotencyRecord(CLARA.userId, key, { method: 'POST', path: '/api/activities', body }),
});

describe('recordActivity: an activity on a stream of its own', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wih-activity-'));
    store = openSqliteEventStore(dir, { durability: 'normal' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one ActivityRecorded with the recorder, its date as business date, no personal part', async () => {
    const result = await recordActivity(store, input(), CLARA, {}, at('2025-03-05T09:00:00Z'));
    expect(result).toMatchObject({ activityId: ID, revision: 0, replayed: false });
    const [stored] = await store.readStream(activityStream(ID));
    expect(stored.type).toBe('ActivityRecorded');
    expect(stored.data).toEqual({ ...input(), recordedBy: 'user-clara' });
    expect(stored.metadata).toMatchObject({ userId: 'user-clara', businessDate: '2025-03-04' });
  });

  it('refuses the same activity id again (activity-exists), and a retry with its key gets the first answer', async () => {
    const settings = at('2025-03-05T09:00:00Z');
    const first = await recordActivity(store, input(), CLARA, keyed('k-1', input()), settings);
    const again = await recordActivity(store, input(), CLARA, keyed('k-1', input()), settings);
    expect(again).toEqual({ ...first, replayed: true });
    await expect(recordActivity(store, input(), CLARA, {}, settings)).rejects.toMatchObject({ code: 'activity-exists' });
    await expect(recordActivity(store, input({ hours: 4 }), CLARA, keyed('k-1', input({ hours: 4 })), settings)).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    expect(await store.readStream(activityStream(ID))).toHaveLength(1);
  });

  it('without an id, derives it from the key: the retry finds its stream, another body under the key is refused', async () => {
    const { activityId: _id, ...body } = input();
    const settings = at('2025-03-05T09:00:00Z');
    const first = await recordActivity(store, body, CLARA, keyed('k-2', body), settings);
    expect(await recordActivity(store, body, CLARA, keyed('k-2', body), settings)).toEqual({ ...first, replayed: true });
    const other = { ...body, participants: 26 };
    await expect(recordActivity(store, other, CLARA, keyed('k-2', other), settings)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    // without a key every request is a new activity
    const unkeyed = await recordActivity(store, body, CLARA, {}, settings);
    expect(unkeyed.activityId).not.toBe(first.activityId);
  });

  it('refuses a date after today in Cologne: just after midnight there it is already the next day', async () => {
    // 23:30 UTC on 3 March is 00:30 on 4 March in Cologne
    await expect(recordActivity(store, input({ on: '2025-03-04' }), CLARA, {}, at('2025-03-03T22:30:00Z'))).rejects.toMatchObject({
      code: 'date-in-future',
    });
    await expect(recordActivity(store, input({ on: '2025-03-04' }), CLARA, {}, at('2025-03-03T23:30:00Z'))).resolves.toMatchObject({
      revision: 0,
    });
  });

  it('refuses the Fachstelle', async () => {
    const refused = recordActivity(store, input(), { userId: 'user-fw', role: 'fachstelle' }, {}, at('2025-03-05T09:00:00Z'));
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ kind: 'forbidden', code: 'role-not-allowed' });
  });

  it('reaches the evaluation replay under the asOf rule, without who recorded it', async () => {
    await recordActivity(store, input(), CLARA, {}, at('2025-03-05T09:00:00Z'));
    await recordActivity(store, input({ activityId: `${ID.slice(0, -1)}2` }), CLARA, {}, at('2025-03-06T09:00:00Z'));
    const facts = await replayFacts(store, '2025-03-05T09:00:00.000Z');
    expect(facts.activities).toEqual([
      {
        activityId: ID,
        on: '2025-03-04',
        kind: 'networking',
        partnerKinds: ['social_space_coordination'],
        district: 'ehrenfeld',
        hours: 3,
        participants: 25,
      },
    ]);
    expect((await replayFacts(store, '2025-03-06T09:00:00.000Z')).activities).toHaveLength(2);
  });

  it('refuses loudly an activity stream event of a type this code does not know', async () => {
    await store.append(
      activityStream(ID),
      [
        {
          id: '5e5e5e5e-0000-4000-8000-000000000001',
          type: 'ActivityCancelled',
          data: { activityId: ID },
          metadata: { recordedAt: '2025-03-05T09:00:00.000Z', businessDate: '2025-03-05', schemaVersion: 2 } as never,
        },
      ],
      'no-stream',
    );
    await expect(replayFacts(store, '2025-03-06T00:00:00.000Z')).rejects.toBeInstanceOf(UnknownEventTypeError);
  });
});
