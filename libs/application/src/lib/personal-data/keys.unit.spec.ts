import { KeyDestroyedError, keyIdOf, openSqliteKeyStore, type KeyStore } from '@wih/key-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersonalDataKeys } from './keys';

const NOW = '2026-01-01T00:00:00.000Z';

/** Counts the key-store reads, so the tests see what the cache saves. */
const counting = (store: KeyStore) => {
  const calls = { getMany: 0, getOrCreate: 0, renew: 0 };
  const wrapped: KeyStore = {
    ...store,
    get: (id) => store.get(id),
    getMany: (ids) => {
      calls.getMany++;
      return store.getMany(ids);
    },
    getOrCreate: (id, now) => {
      calls.getOrCreate++;
      return store.getOrCreate(id, now);
    },
    renew: (id, now) => {
      calls.renew++;
      return store.renew(id, now);
    },
    destroy: (id, now) => store.destroy(id, now),
    list: (options) => store.list(options),
    ready: () => store.ready(),
    rewrap: (to) => store.rewrap(to),
    ping: () => store.ping(),
    close: () => store.close(),
  };
  return { wrapped, calls };
};

describe('PersonalDataKeys (cache in front of the key store)', () => {
  let dir: string;
  let store: KeyStore;
  let clock: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wih-keys-'));
    store = openSqliteKeyStore(dir);
    clock = 0;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const keysWith = (maxEntries = 100, activeTtlMs = 1000) => {
    const { wrapped, calls } = counting(store);
    return { keys: new PersonalDataKeys(wrapped, { maxEntries, activeTtlMs, now: () => clock }), calls };
  };

  it('creates a key once and serves it from the cache afterwards', async () => {
    const { keys, calls } = keysWith();
    const { keyId, key } = await keys.forWriting('hh-1', NOW);
    expect(keyId).toBe('hh-1');
    expect((await keys.forWriting('hh-1', NOW)).key.equals(key)).toBe(true);
    expect(await keys.forReading(['hh-1'])).toEqual(new Map([['hh-1', { status: 'active', key }]]));
    expect(calls).toEqual({ getOrCreate: 1, getMany: 0, renew: 0 });
  });

  it('reads the keys of a batch in one store call; households without a key are absent', async () => {
    const { keys, calls } = keysWith();
    await store.getOrCreate('hh-1', NOW);
    await store.getOrCreate('hh-2', NOW);
    const found = await keys.forReading(['hh-1', 'hh-2', 'hh-1', 'hh-none']);
    expect([...found.keys()].sort()).toEqual(['hh-1', 'hh-2']);
    expect(calls.getMany).toBe(1);
  });

  it('forgets a destroyed key at once and refuses to write under it', async () => {
    const { keys } = keysWith();
    await keys.forWriting('hh-1', NOW);
    await keys.destroy('hh-1', NOW);
    expect(await keys.forReading(['hh-1'])).toEqual(new Map([['hh-1', { status: 'destroyed' }]]));
    await expect(keys.forWriting('hh-1', NOW)).rejects.toBeInstanceOf(KeyDestroyedError);
  });

  it('writes under a new key generation once the household came back, the old one staying destroyed for reading', async () => {
    const { keys } = keysWith();
    await keys.forWriting('hh-1', NOW);
    await keys.destroy('hh-1', NOW);
    const renewed = await keys.forReturning('hh-1', NOW);
    expect(renewed.keyId).toBe(keyIdOf('hh-1', 2));
    expect(await keys.forWriting('hh-1', NOW)).toEqual(renewed);
    expect(await keys.forReading(['hh-1', renewed.keyId])).toEqual(
      new Map([
        ['hh-1', { status: 'destroyed' }],
        [renewed.keyId, { status: 'active', key: renewed.key }],
      ]),
    );
    await keys.destroy('hh-1', NOW);
    expect((await keys.forReading([renewed.keyId])).get(renewed.keyId)).toEqual({ status: 'destroyed' });
    await expect(keys.forWriting('hh-1', NOW)).rejects.toBeInstanceOf(KeyDestroyedError);
  });

  it('never caches a household as destroyed for writing: it writes under the key another process renewed', async () => {
    const { keys } = keysWith();
    await keys.forWriting('hh-1', NOW);
    await keys.destroy('hh-1', NOW);
    await expect(keys.forWriting('hh-1', NOW)).rejects.toBeInstanceOf(KeyDestroyedError);
    const renewed = await store.renew('hh-1', NOW); // the household's next referral, in another process
    expect(await keys.forWriting('hh-1', NOW)).toEqual(renewed);
  });

  it('sees a key another process destroyed once the cached entry is older than the TTL', async () => {
    const { keys } = keysWith(100, 1000);
    await keys.forWriting('hh-1', NOW);
    await store.destroy('hh-1', NOW); // another process
    clock = 999;
    expect((await keys.forReading(['hh-1'])).get('hh-1')?.status).toBe('active');
    clock = 2001;
    expect((await keys.forReading(['hh-1'])).get('hh-1')?.status).toBe('destroyed');
  });

  it('stays bounded: the least recently used entry goes first', async () => {
    const { keys, calls } = keysWith(2);
    await keys.forWriting('hh-1', NOW);
    await keys.forWriting('hh-2', NOW);
    await keys.forReading(['hh-1']); // hh-1 used last: hh-2 is the oldest now
    await keys.forWriting('hh-3', NOW);
    calls.getMany = 0;
    await keys.forReading(['hh-1', 'hh-3']);
    expect(calls.getMany).toBe(0);
    await keys.forReading(['hh-2']);
    expect(calls.getMany).toBe(1);
  });
});
