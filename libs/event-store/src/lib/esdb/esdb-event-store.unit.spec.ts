import type { EventStoreDBClient } from '@eventstore/db-client';
import { createServer, type Server, type Socket } from 'node:net';
import { eventStoreContract, newEvents, settlesWithin, subscribeUntil, uniqueCategory, uniqueStream } from '../../testing';
import { StoreUnavailableError } from '../errors';
import { EsdbEventStore } from './esdb-event-store';
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
