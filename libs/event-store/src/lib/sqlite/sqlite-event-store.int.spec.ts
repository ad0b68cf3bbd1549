import Database from 'better-sqlite3';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract, idsOf, newEvent, newEvents, readAllEvents, settlesWithin, subscribeUntil, uniqueStream } from '../../testing';
import { StoreUnavailableError } from '../errors';
import { SqliteEventStore, openSqliteEventStore } from './sqlite-event-store';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'event-store-'));

eventStoreContract('SQLite', async () => {
  const dir = await tempDir();
  const store = openSqliteEventStore(dir);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore', () => {
  let dir: string;
  const open: SqliteEventStore[] = [];
  const openStore = (file = join(dir, 'nested', 'events.sqlite'), pollIntervalMs = 20): SqliteEventStore => {
    const store = new SqliteEventStore(file, { pollIntervalMs });
    open.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the parent directory and keeps events across close and reopen', async () => {
    const file = join(dir, 'a', 'b', 'events.sqlite');
    const stream = uniqueStream();
    const events = newEvents(3);
    const first = openStore(file);
    const { position } = await first.append(stream, events, 'no-stream');
    await first.close();
    expect((await stat(file)).size).toBeGreaterThan(0);
    const inspect = new Database(file, { readonly: true });
    expect(inspect.pragma('journal_mode', { simple: true })).toBe('wal');
    inspect.close();

    const reopened = openStore(file);
    expect(idsOf(await reopened.readStream(stream))).toEqual(idsOf(events));
    expect(await reopened.headPosition()).toBe(position);
    const next = await reopened.append(stream, [newEvent()], 2);
    expect(next).toEqual({ revision: 3, position: position + 1n });
  });

  it('opens with durability normal as well', async () => {
    const store = new SqliteEventStore(join(dir, 'normal.sqlite'), { durability: 'normal' });
    open.push(store);
    await store.append(uniqueStream(), [newEvent()], 'no-stream');
    expect(await store.ping()).toBe(true);
  });

  it('delivers events appended by another instance on the same file to a subscription', async () => {
    const reader = openStore();
    const writer = openStore();
    const stream = uniqueStream();
    const events = newEvents(20);
    const subscription = subscribeUntil(reader, { category: 'case' }, events.length);
    for (const [i, event] of events.entries()) await writer.append(stream, [event], i === 0 ? 'no-stream' : i - 1);
    expect(await settlesWithin(subscription.done, 5000)).toBe(true);
    expect(idsOf(subscription.batches.flat())).toEqual(idsOf(events));
  });

  it('commits appends of one turn together, each atomic and checked on its own (group commit)', async () => {
    const store = openStore();
    const streams = Array.from({ length: 30 }, () => uniqueStream());
    const stale = streams[10];
    await store.append(stale, [newEvent()], 'no-stream');
    const outcomes = await Promise.allSettled(streams.map((stream) => store.append(stream, [newEvent(), newEvent()], 'no-stream')));
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect(outcomes[10].status).toBe('rejected');
    const positions = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.position] : []));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(positions).size).toBe(29);
    expect(await store.readStream(stale)).toHaveLength(1);
    for (const stream of streams.filter((s) => s !== stale))
      expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1]);
  });

  it('writes nothing when any event of an append fails', async () => {
    const store = openStore();
    const stream = uniqueStream();
    const duplicate = newEvent();
    // Compared as text: the native addon keeps the SqliteError class of the first test file that
    // loaded it, so in jest's per-file realms the error may not be an `instanceof Error` here.
    const failure = await store.append(stream, [newEvent(), duplicate, duplicate], 'no-stream').then(() => 'resolved', String);
    expect(failure).toMatch(/UNIQUE/);
    expect(await store.readStream(stream)).toEqual([]);
    expect(await store.headPosition()).toBe(0n);
    expect((await store.append(stream, [newEvent()], 'no-stream')).revision).toBe(0);
  });

  it('assigns positions 1, 2, 3 ... one per event', async () => {
    const store = openStore();
    await store.append(uniqueStream(), newEvents(2), 'no-stream');
    await store.append(uniqueStream('household'), [newEvent()], 'no-stream');
    const all = await readAllEvents(store, {});
    expect(all.map((e) => e.position)).toEqual([1n, 2n, 3n]);
    expect(await store.headPosition('case')).toBe(2n);
    expect(await store.headPosition('household')).toBe(3n);
  });

  it('reports unavailable after close, and a waiting subscription fails instead of hanging', async () => {
    const store = openStore(undefined, 10_000);
    const subscription = subscribeUntil(store, {}, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.close();
    await expect(subscription.done).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.ping()).toBe(false);
    await expect(store.readStream(uniqueStream())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.append(uniqueStream(), [newEvent()], 'any')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('rejects invalid batch sizes', async () => {
    const store = openStore();
    await expect(readAllEvents(store, { batchSize: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});
