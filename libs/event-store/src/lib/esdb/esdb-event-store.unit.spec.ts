import type { EventStoreDBClient } from '@eventstore/db-client';
import { createServer, type Server, type Socket } from 'node:net';
import {
  eventStoreContract,
  idsOf,
  newEvents,
  readAllEvents,
  settlesWithin,
  subscribeUntil,
  uniqueCategory,
  uniqueStream,
} from '../../testing';
import { StoreUnavailableError } from '../errors';
import { EsdbEventStore } from './esdb-event-store';
import type { ForeignEvent } from './esdb-mapping';
import { FakeEsdbClient } from './fake-esdb-client';

// The fake implements only what the adapter calls; the cast stands in for the rest of the client.
const storeOn = (fake: FakeEsdbClient): EsdbEventStore => new EsdbEventStore(fake as unknown as EventStoreDBClient);

eventStoreContract('EventStoreDB adapter on an in-memory client', async () => {
  const store = storeOn(new FakeEsdbClient());
  return { store, cleanup: () => store.close() };
});

describe('EsdbEventStore', () => {
  it('unsubscribes when the consumer breaks and when the signal aborts', async () => {
    const fake = new FakeEsdbClient();
    const store = storeOn(fake);
    const category = uniqueCategory();
    await store.append(uniqueStream(category), newEvents(3), 'no-stream');
    for await (const batch of store.subscribe({ category })) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(fake.openSubscriptions).toBe(0);

    const subscription = subscribeUntil(store, { category }, 3);
    expect(await settlesWithin(subscription.done, 2000)).toBe(true);
    expect(fake.openSubscriptions).toBe(0);
  });

  it('fails a subscription the server ends instead of completing it', async () => {
    const fake = new FakeEsdbClient();
    const store = storeOn(fake);
    const subscription = subscribeUntil(store, { category: uniqueCategory() }, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await fake.dispose();
    await expect(subscription.done).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('EsdbEventStore reading a log shared with others', () => {
  it('receives only the category it reads, not all of $all', async () => {
    const fake = new FakeEsdbClient();
    const store = storeOn(fake);
    const category = uniqueCategory();
    for (let i = 0; i < 50; i++) await store.append(uniqueStream(uniqueCategory()), newEvents(1), 'no-stream');
    const mine = newEvents(3);
    await store.append(uniqueStream(category), mine, 'no-stream');
    await store.append(uniqueStream(uniqueCategory()), newEvents(1), 'no-stream');
    fake.sent = 0;
    expect(idsOf(await readAllEvents(store, { category }))).toEqual(idsOf(mine));
    // The three events and the one-record probe of where $all ends.
    expect(fake.sent).toBeLessThanOrEqual(4);
  });

  it("skips and reports other writers' records, in reads and subscriptions, and goes on", async () => {
    const fake = new FakeEsdbClient();
    const foreign: ForeignEvent[] = [];
    const store = new EsdbEventStore(fake as unknown as EventStoreDBClient, { onForeignEvent: (e) => foreign.push(e) });
    const category = uniqueCategory();
    const stream = uniqueStream(category);
    const [first, second] = newEvents(2);
    await store.append(stream, [first], 'no-stream');
    const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
    fake.appendForeign(`${category}-other`, { id: 'f1', type: 'SomethingElse', data: {}, metadata: undefined, isJson: true });
    fake.appendForeign(`${category}-other`, { id: 'f2', type: 'SomethingElse', data: {}, metadata: bytes('not json'), isJson: true });
    fake.appendForeign(`${category}-other`, {
      id: 'f3',
      type: 'Blob',
      data: bytes('\u0000'),
      metadata: bytes('{"commandId":"c","schemaVersion":1}'),
      isJson: false,
    });
    await store.append(stream, [second], 0);

    expect(idsOf(await readAllEvents(store, { category }))).toEqual(idsOf([first, second]));
    expect(foreign.map((e) => e.id)).toEqual(['f1', 'f2', 'f3']);
    expect(foreign[0]).toMatchObject({ streamName: `${category}-other`, type: 'SomethingElse', reason: expect.stringMatching(/metadata/) });
    expect(foreign[2].reason).toMatch(/data/);

    const subscription = subscribeUntil(store, { category }, 2);
    expect(await settlesWithin(subscription.done, 2000)).toBe(true);
    expect(idsOf(subscription.batches.flat())).toEqual(idsOf([first, second]));
  });
});

describe('EsdbEventStore without a server', () => {
  // Nothing listens on port 1: the connection is refused at once.
  const store = new EsdbEventStore('esdb://127.0.0.1:1?tls=false&defaultDeadline=2000');
  afterAll(() => store.close());

  it('answers ping with false', async () => {
    expect(await store.ping()).toBe(false);
  });

  it('turns a refused connection into StoreUnavailableError', async () => {
    await expect(store.readStream('case-1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.append('case-1', newEvents(1), 'any')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('EsdbEventStore on a black-holed server', () => {
  // Accepts TCP connections and never sends a byte: a server that hangs, or a network that drops
  // replies. The client's stream reads take no deadline (6.2.1 passes `deadline: Infinity`), so
  // only keep-alive (10 s + 10 s) would end them.
  const sockets = new Set<Socket>();
  let server: Server;
  let store: EsdbEventStore;

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    store = new EsdbEventStore(`esdb://127.0.0.1:${address.port}?tls=false`);
  });

  afterAll(async () => {
    await store.close();
    sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  // The test's own timeout (well under the keep-alive's 20 s) is the bound; /health must answer.
  it('answers ping with false', async () => {
    expect(await store.ping()).toBe(false);
  }, 8000);
});
