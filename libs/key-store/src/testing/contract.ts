import { randomUUID } from 'node:crypto';
import { KeyDestroyedError } from '../lib/errors';
import { KEY_BYTES, keyIdOf, type KeyStore, type WrappedKeyCopy } from '../lib/port';

export interface OpenedKeyStore {
  /** An adapter: the port, and the copy of wrapped records a store migration uses. Every store opened by one `open` has the same KEK. */
  readonly store: KeyStore & WrappedKeyCopy;
  readonly cleanup: () => Promise<void>;
}

const NOW = '2026-01-05T10:00:00.000Z';
const LATER = '2026-02-01T08:00:00.000Z';
const household = () => `hh-${randomUUID()}`;

/** One behaviour for every key store: the embedded one always, MongoDB when MONGO_URL is set. */
export function keyStoreContract(name: string, open: () => Promise<OpenedKeyStore>): void {
  describe(`KeyStore contract: ${name}`, () => {
    let opened: OpenedKeyStore;
    let store: KeyStore & WrappedKeyCopy;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(() => opened.cleanup());

    it('creates a random 32-byte key once and hands the same key to every later call', async () => {
      const id = household();
      expect(await store.get(id)).toBeNull();
      const { keyId, key } = await store.getOrCreate(id, NOW);
      expect(keyId).toBe(id);
      expect(key).toHaveLength(KEY_BYTES);
      expect((await store.getOrCreate(id, LATER)).key.equals(key)).toBe(true);
      expect(await store.get(id)).toEqual({ keyId: id, householdId: id, generation: 1, status: 'active', key, createdAt: NOW });
      expect((await store.getOrCreate(household(), NOW)).key.equals(key)).toBe(false);
    });

    it('agrees on one key when many callers create it at the same moment', async () => {
      const id = household();
      const keys = await Promise.all(Array.from({ length: 8 }, () => store.getOrCreate(id, NOW)));
      expect(new Set(keys.map((k) => k.key.toString('hex'))).size).toBe(1);
    });

    it('destroys a key irreversibly: a tombstone stays and no new key is created for writing (only a renewal makes a new generation)', async () => {
      const id = household();
      await store.getOrCreate(id, NOW);
      await store.destroy(id, LATER);
      expect(await store.get(id)).toEqual({
        keyId: id,
        householdId: id,
        generation: 1,
        status: 'destroyed',
        createdAt: NOW,
        destroyedAt: LATER,
      });
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
      expect(await store.get(id)).toEqual({
        keyId: id,
        householdId: id,
        generation: 1,
        status: 'destroyed',
        createdAt: null,
        destroyedAt: NOW,
      });
      await expect(store.getOrCreate(id, NOW)).rejects.toBeInstanceOf(KeyDestroyedError);
    });

    it('reads many keys at once; unknown households are absent', async () => {
      const [a, b, c] = [household(), household(), household()];
      const { key: keyA } = await store.getOrCreate(a, NOW);
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
        { keyId: a, householdId: a, generation: 1, status: 'active', createdAt: NOW, destroyedAt: null },
        { keyId: b, householdId: b, generation: 1, status: 'destroyed', createdAt: NOW, destroyedAt: LATER },
      ]);
      expect((await store.list({ status: 'destroyed' })).map((info) => info.householdId)).toContain(b);
      expect((await store.list({ status: 'destroyed' })).map((info) => info.householdId)).not.toContain(a);
      expect((await store.list({ status: 'active' })).map((info) => info.householdId)).toContain(a);
    });

    describe('a household that comes back after its erasure (key generations)', () => {
      it('gets a new key of its own on renewal: other material under a key id of its own; the destroyed one stays destroyed', async () => {
        const id = household();
        const first = await store.getOrCreate(id, NOW);
        expect(first.keyId).toBe(id);
        await store.destroy(id, LATER);
        const renewed = await store.renew(id, LATER);
        expect(renewed.keyId).toBe(keyIdOf(id, 2));
        expect(renewed.key).toHaveLength(KEY_BYTES);
        expect(renewed.key.equals(first.key)).toBe(false);
        expect(await store.get(id)).toMatchObject({ keyId: id, householdId: id, generation: 1, status: 'destroyed', destroyedAt: LATER });
        expect(await store.get(renewed.keyId)).toEqual({
          keyId: renewed.keyId,
          householdId: id,
          generation: 2,
          status: 'active',
          key: renewed.key,
          createdAt: LATER,
        });
        // Writing goes on under the new generation.
        expect(await store.getOrCreate(id, LATER)).toEqual(renewed);
      });

      it('answers the current key on renewal while it is active, and creates the first one for a new household', async () => {
        const id = household();
        const created = await store.renew(id, NOW);
        expect(created.keyId).toBe(id);
        expect(await store.renew(id, LATER)).toEqual(created);
        expect(await store.getOrCreate(id, LATER)).toEqual(created);
      });

      it('agrees on one new generation when many renew at the same moment', async () => {
        const id = household();
        await store.getOrCreate(id, NOW);
        await store.destroy(id, NOW);
        const renewed = await Promise.all(Array.from({ length: 8 }, () => store.renew(id, LATER)));
        expect(new Set(renewed.map((k) => `${k.keyId} ${k.key.toString('hex')}`)).size).toBe(1);
        expect(renewed[0].keyId).toBe(keyIdOf(id, 2));
      });

      it('destroys every generation when erased again; a third return gets a third generation', async () => {
        const id = household();
        await store.getOrCreate(id, NOW);
        await store.destroy(id, NOW);
        const second = await store.renew(id, NOW);
        await store.destroy(id, LATER);
        expect(await store.getMany([id, second.keyId])).toEqual(
          new Map([
            [id, expect.objectContaining({ status: 'destroyed', destroyedAt: NOW })],
            [second.keyId, expect.objectContaining({ status: 'destroyed', destroyedAt: LATER })],
          ]),
        );
        await expect(store.getOrCreate(id, LATER)).rejects.toBeInstanceOf(KeyDestroyedError);
        expect((await store.renew(id, LATER)).keyId).toBe(keyIdOf(id, 3));
      });

      it('lists every generation without key material, with its key id', async () => {
        const id = household();
        await store.getOrCreate(id, NOW);
        await store.destroy(id, NOW);
        await store.renew(id, LATER);
        expect((await store.list()).filter((info) => info.householdId === id)).toEqual([
          { keyId: id, householdId: id, generation: 1, status: 'destroyed', createdAt: NOW, destroyedAt: NOW },
          { keyId: keyIdOf(id, 2), householdId: id, generation: 2, status: 'active', createdAt: LATER, destroyedAt: null },
        ]);
      });

      it('keeps households apart whose ids share a beginning', async () => {
        const id = household();
        const longer = `${id}0`;
        await store.getOrCreate(id, NOW);
        await store.destroy(id, NOW);
        const other = await store.getOrCreate(longer, NOW);
        expect((await store.renew(id, NOW)).keyId).toBe(keyIdOf(id, 2));
        expect(await store.getOrCreate(longer, NOW)).toEqual(other);
      });

      it('refuses a household id that could be taken for a key id', async () => {
        await expect(store.getOrCreate(`${household()}#2`, NOW)).rejects.toBeInstanceOf(RangeError);
        await expect(store.renew(`${household()}#2`, NOW)).rejects.toBeInstanceOf(RangeError);
      });
    });

    it('refuses an empty household id', async () => {
      await expect(store.getOrCreate('', NOW)).rejects.toBeInstanceOf(RangeError);
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });

    it('copies its records still wrapped into another store: keys and tombstones as they were, re-runnable, never resurrecting a destroyed key', async () => {
      const [kept, erased, returned] = [household(), household(), household()];
      const { key } = await store.getOrCreate(kept, NOW);
      await store.getOrCreate(erased, NOW);
      await store.destroy(erased, LATER);
      await store.getOrCreate(returned, NOW);
      await store.destroy(returned, LATER);
      const second = await store.renew(returned, LATER);
      const records = (await store.exportWrapped()).filter((r) => [kept, erased, returned].includes(r.keyId.split('#')[0]));
      expect(records.map((r) => [r.keyId, r.wrapped === null])).toEqual(
        [
          [kept, false],
          [erased, true],
          [returned, true],
          [keyIdOf(returned, 2), false],
        ].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
      );
      // Still wrapped: the key's bytes are nowhere in its stored form.
      expect(records.find((r) => r.keyId === kept)?.wrapped?.includes(key)).toBe(false);

      const target = await open();
      try {
        // The target already destroyed one of the keys and knows nothing of the others.
        await target.store.destroy(kept, LATER);
        expect(await target.store.importWrapped(records)).toEqual({ added: 3, destroyed: 0, unchanged: 1 });
        expect(await target.store.get(kept)).toMatchObject({ status: 'destroyed' });
        expect(await target.store.get(erased)).toEqual(await store.get(erased));
        expect(await target.store.get(keyIdOf(returned, 2))).toEqual({
          keyId: keyIdOf(returned, 2),
          householdId: returned,
          generation: 2,
          status: 'active',
          key: second.key,
          createdAt: LATER,
        });
        expect(await target.store.importWrapped(records)).toEqual({ added: 0, destroyed: 0, unchanged: 4 });
        // A tombstone arriving later destroys the key there.
        await store.destroy(returned, '2026-03-01T00:00:00.000Z');
        const again = (await store.exportWrapped()).filter((r) => r.keyId.startsWith(returned));
        expect(await target.store.importWrapped(again)).toEqual({ added: 0, destroyed: 1, unchanged: 1 });
        expect(await target.store.get(keyIdOf(returned, 2))).toMatchObject({ status: 'destroyed' });
      } finally {
        await target.cleanup();
      }
    });
  });
}
