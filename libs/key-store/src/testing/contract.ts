import { randomUUID } from 'node:crypto';
import { KeyDestroyedError } from '../lib/errors';
import { KEY_BYTES, type KeyStore } from '../lib/port';

export interface OpenedKeyStore {
  readonly store: KeyStore;
  readonly cleanup: () => Promise<void>;
}

const NOW = '2026-01-05T10:00:00.000Z';
const LATER = '2026-02-01T08:00:00.000Z';
const household = () => `hh-${randomUUID()}`;

/** One behaviour for every key store: the embedded one always, MongoDB when MONGO_URL is set. */
export function keyStoreContract(name: string, open: () => Promise<OpenedKeyStore>): void {
  describe(`KeyStore contract: ${name}`, () => {
    let opened: OpenedKeyStore;
    let store: KeyStore;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(() => opened.cleanup());

    it('creates a random 32-byte key once and hands the same key to every later call', async () => {
      const id = household();
      expect(await store.get(id)).toBeNull();
      const key = await store.getOrCreate(id, NOW);
      expect(key).toHaveLength(KEY_BYTES);
      expect((await store.getOrCreate(id, LATER)).equals(key)).toBe(true);
      expect(await store.get(id)).toEqual({ householdId: id, status: 'active', key, createdAt: NOW });
      expect((await store.getOrCreate(household(), NOW)).equals(key)).toBe(false);
    });

    it('agrees on one key when many callers create it at the same moment', async () => {
      const id = household();
      const keys = await Promise.all(Array.from({ length: 8 }, () => store.getOrCreate(id, NOW)));
      expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
    });

    it('destroys a key irreversibly: a tombstone stays and no new key is ever created', async () => {
      const id = household();
      await store.getOrCreate(id, NOW);
      await store.destroy(id, LATER);
      expect(await store.get(id)).toEqual({ householdId: id, status: 'destroyed', createdAt: NOW, destroyedAt: LATER });
      await expect(store.getOrCreate(id, LATER)).rejects.toBeInstanceOf(KeyDestroyedError);
      await store.destroy(id, '2027-01-01T00:00:00.000Z');
      expect(await store.get(id)).toMatchObject({ status: 'destroyed', destroyedAt: LATER });
    });

    it('ends destroyed when a destruction races the first creation, whichever wins', async () => {
      const ids = Array.from({ length: 10 }, household);
      await Promise.all(ids.flatMap((id) => [store.getOrCreate(id, NOW).catch((error: unknown) => error), store.destroy(id, LATER)]));
      for (const id of ids) {
        expect(await store.get(id)).toMatchObject({ status: 'destroyed', destroyedAt: LATER });
        await expect(store.getOrCreate(id, LATER)).rejects.toBeInstanceOf(KeyDestroyedError);
      }
    });

    it('leaves a tombstone for a household that never had a key', async () => {
      const id = household();
      await store.destroy(id, NOW);
      expect(await store.get(id)).toEqual({ householdId: id, status: 'destroyed', createdAt: null, destroyedAt: NOW });
      await expect(store.getOrCreate(id, NOW)).rejects.toBeInstanceOf(KeyDestroyedError);
    });

    it('reads many keys at once; unknown households are absent', async () => {
      const [a, b, c] = [household(), household(), household()];
      const keyA = await store.getOrCreate(a, NOW);
      await store.getOrCreate(b, NOW);
      await store.destroy(b, LATER);
      const found = await store.getMany([a, b, c, a]);
      expect([...found.keys()].sort()).toEqual([a, b].sort());
      expect(found.get(a)).toMatchObject({ status: 'active', key: keyA });
      expect(found.get(b)).toMatchObject({ status: 'destroyed' });
      expect((await store.getMany([])).size).toBe(0);
    });

    it('lists records without key material, filtered by status', async () => {
      const [a, b] = [household(), household()].sort();
      await store.getOrCreate(a, NOW);
      await store.getOrCreate(b, NOW);
      await store.destroy(b, LATER);
      const all = (await store.list()).filter((info) => info.householdId === a || info.householdId === b);
      expect(all).toEqual([
        { householdId: a, status: 'active', createdAt: NOW, destroyedAt: null },
        { householdId: b, status: 'destroyed', createdAt: NOW, destroyedAt: LATER },
      ]);
      expect((await store.list({ status: 'destroyed' })).map((info) => info.householdId)).toContain(b);
      expect((await store.list({ status: 'destroyed' })).map((info) => info.householdId)).not.toContain(a);
      expect((await store.list({ status: 'active' })).map((info) => info.householdId)).toContain(a);
    });

    it('refuses an empty household id', async () => {
      await expect(store.getOrCreate('', NOW)).rejects.toBeInstanceOf(RangeError);
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
