import { ReadStoreUnavailableError } from '../errors';
import { MongoReadStore } from './mongo-read-store';

/** Nothing listens on port 1: every request fails once server selection gives up. */
const NO_SERVER = 'mongodb://127.0.0.1:1/reads?serverSelectionTimeoutMS=100';

describe('MongoReadStore without a server', () => {
  let store: MongoReadStore;
  beforeEach(() => {
    store = new MongoReadStore(NO_SERVER);
  });
  afterEach(() => store.close());

  it('answers a ping with false', async () => {
    expect(await store.ping()).toBe(false);
  });

  it('reports requests as unavailable', async () => {
    await expect(store.getMeta('active/cases')).rejects.toBeInstanceOf(ReadStoreUnavailableError);
    await expect(store.commit('cases@1', [], { name: 'cases@1', expected: null, next: 1n })).rejects.toBeInstanceOf(
      ReadStoreUnavailableError,
    );
  });

  it('refuses invalid input before talking to the server', async () => {
    await expect(store.ensureCollection({ name: 'Cases', indexes: [] })).rejects.toBeInstanceOf(RangeError);
    await expect(store.commit('cases@1', [], { name: 'cases@1', expected: 5n, next: 4n })).rejects.toBeInstanceOf(RangeError);
    await expect(store.acquireLease('runner', 'p1', -1, 0)).rejects.toBeInstanceOf(RangeError);
    await expect(store.setMeta('k', null)).rejects.toBeInstanceOf(RangeError);
    await expect(store.get('no such collection', 'a')).rejects.toBeInstanceOf(RangeError);
  });

  it('reports unavailable at once after close, and closes twice harmlessly', async () => {
    await store.close();
    await store.close();
    await expect(store.getCheckpoint('cases@1')).rejects.toBeInstanceOf(ReadStoreUnavailableError);
    expect(await store.ping()).toBe(false);
  });
});
