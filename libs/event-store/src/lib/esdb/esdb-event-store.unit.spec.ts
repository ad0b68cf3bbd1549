import { StoreUnavailableError } from '../errors';
import { EsdbEventStore } from './esdb-event-store';

describe('EsdbEventStore without a server', () => {
  // Nothing listens on port 1: the connection is refused at once.
  const store = new EsdbEventStore('esdb://127.0.0.1:1?tls=false&defaultDeadline=2000');
  afterAll(() => store.close());

  it('answers ping with false', async () => {
    expect(await store.ping()).toBe(false);
  });

  it('turns a refused connection into StoreUnavailableError', async () => {
    await expect(store.readStream('case-1')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
