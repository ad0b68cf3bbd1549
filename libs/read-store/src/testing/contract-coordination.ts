import { CheckpointConflictError, ReadStoreUnavailableError } from '../lib/errors';
import type { ReadStore } from '../lib/port';
import type { OpenedStore } from './contract';
import { commitWrites, docWrite, move, newCollection, uniqueName } from './fixtures';

export const checkpointContract = (store: () => ReadStore): void => {
  describe('checkpoints', () => {
    it('reads an unknown checkpoint as null and deletes one', async () => {
      const collection = await newCollection(store());
      expect(await store().getCheckpoint(uniqueName())).toBeNull();
      await commitWrites(store(), collection, [docWrite('a', {}, 4n)]);
      await store().deleteCheckpoint(collection);
      expect(await store().getCheckpoint(collection)).toBeNull();
      await store().deleteCheckpoint(collection);
      // Deleting the checkpoint leaves the documents (a rebuild drops the collection too).
      expect((await store().get(collection, 'a'))?.position).toBe(4n);
      await store().commit(collection, [], move(collection, null, 1n));
      expect(await store().getCheckpoint(collection)).toBe(1n);
    });
  });
};

export const leaseContract = (store: () => ReadStore): void => {
  describe('leases', () => {
    it('takes a free lease', async () => {
      const name = uniqueName();
      expect(await store().getLease(name)).toBeNull();
      expect(await store().acquireLease(name, 'a', 1000, 10_000)).toBeTruthy();
      expect(await store().getLease(name)).toStrictEqual({ name, owner: 'a', expiresAt: 11_000 });
    });

    it('refuses a second owner while the lease is valid', async () => {
      const name = uniqueName();
      await store().acquireLease(name, 'a', 1000, 10_000);
      expect(await store().acquireLease(name, 'b', 5000, 10_500)).toBe(false);
      expect(await store().acquireLease(name, 'b', 5000, 10_999)).toBe(false);
      expect(await store().getLease(name)).toStrictEqual({ name, owner: 'a', expiresAt: 11_000 });
    });

    it('lets another owner take the lease once it expired', async () => {
      const name = uniqueName();
      await store().acquireLease(name, 'a', 1000, 10_000);
      expect(await store().acquireLease(name, 'b', 1000, 11_000)).toBeTruthy();
      expect(await store().getLease(name)).toStrictEqual({ name, owner: 'b', expiresAt: 12_000 });
      expect(await store().acquireLease(name, 'a', 1000, 11_500)).toBe(false);
    });

    it("renews the owner's lease, also after it expired", async () => {
      const name = uniqueName();
      await store().acquireLease(name, 'a', 1000, 10_000);
      expect(await store().acquireLease(name, 'a', 1000, 10_500)).toBeTruthy();
      expect((await store().getLease(name))?.expiresAt).toBe(11_500);
      expect(await store().acquireLease(name, 'a', 2000, 20_000)).toBeTruthy();
      expect((await store().getLease(name))?.expiresAt).toBe(22_000);
    });

    it('is released by its owner only', async () => {
      const name = uniqueName();
      await store().acquireLease(name, 'a', 60_000, 10_000);
      await store().releaseLease(name, 'b');
      expect((await store().getLease(name))?.owner).toBe('a');
      await store().releaseLease(name, 'a');
      expect(await store().getLease(name)).toBeNull();
      expect(await store().acquireLease(name, 'b', 1000, 10_001)).toBeTruthy();
    });

    it('goes to exactly one of several owners racing for it', async () => {
      const name = uniqueName();
      const owners = ['a', 'b', 'c', 'd', 'e'];
      const results = await Promise.all(owners.map((owner) => store().acquireLease(name, owner, 1000, 10_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store().getLease(name))?.owner).toBe(owners[results.findIndex(Boolean)]);
    });

    it('refuses a ttl that is not positive', async () => {
      await expect(store().acquireLease(uniqueName(), 'a', 0, 10_000)).rejects.toBeInstanceOf(RangeError);
    });
  });
};

/** The fence: a lease's tenure counter, and commits that carry it. */
export const fenceContract = (store: () => ReadStore): void => {
  describe('fences', () => {
    it('answers a fence that stays while the owner renews and grows whenever the lease passes to another owner, also after a release', async () => {
      const name = uniqueName();
      const first = await store().acquireLease(name, 'a', 1000, 10_000);
      expect(Number.isSafeInteger(first) && (first as number) > 0).toBe(true);
      expect(await store().acquireLease(name, 'a', 1000, 10_500)).toBe(first);
      expect(await store().acquireLease(name, 'a', 1000, 12_000)).toBe(first); // renewed after it expired: nobody else held it
      expect(await store().acquireLease(name, 'b', 1000, 12_500)).toBe(false);
      const second = await store().acquireLease(name, 'b', 1000, 13_000);
      expect(second).toBeGreaterThan(first as number);
      expect(await store().acquireLease(name, 'b', 1000, 13_500)).toBe(second);
      await store().releaseLease(name, 'b');
      const third = await store().acquireLease(name, 'b', 1000, 13_600);
      expect(third).toBeGreaterThan(second as number);
      await store().releaseLease(name, 'b');
      expect(await store().acquireLease(name, 'a', 1000, 13_700)).toBeGreaterThan(third as number);
    });

    it('refuses a commit with a fence lower than the checkpoint was moved with, writing nothing; equal, higher and unfenced commits pass', async () => {
      const collection = await newCollection(store());
      await store().commit(collection, [docWrite('a', { v: 1 }, 1n)], { ...move(collection, null, 1n), fence: 2 });
      const stale = store().commit(collection, [docWrite('b', { v: 2 }, 2n)], { ...move(collection, 1n, 2n), fence: 1 });
      await expect(stale).rejects.toBeInstanceOf(CheckpointConflictError);
      expect(await store().get(collection, 'b')).toBeNull();
      expect(await store().getCheckpoint(collection)).toBe(1n);

      await store().commit(collection, [docWrite('b', { v: 2 }, 2n)], { ...move(collection, 1n, 2n), fence: 2 });
      // Without a fence: not checked, and the stored fence stays.
      await store().commit(collection, [docWrite('c', { v: 3 }, 3n)], move(collection, 2n, 3n));
      await expect(store().commit(collection, [docWrite('d', {}, 4n)], { ...move(collection, 3n, 4n), fence: 1 })).rejects.toBeInstanceOf(
        CheckpointConflictError,
      );
      // A new holder puts its fence on the checkpoint without moving it; the previous holder's commits are refused from then on.
      await store().commit(collection, [], { ...move(collection, 3n, 3n), fence: 3 });
      await expect(store().commit(collection, [docWrite('d', {}, 4n)], { ...move(collection, 3n, 4n), fence: 2 })).rejects.toBeInstanceOf(
        CheckpointConflictError,
      );
      await store().commit(collection, [docWrite('d', {}, 4n)], { ...move(collection, 3n, 4n), fence: 3 });
      expect(await store().getCheckpoint(collection)).toBe(4n);
      expect((await store().get(collection, 'd'))?.position).toBe(4n);
    });

    it('refuses a fence that is not a positive integer', async () => {
      const collection = await newCollection(store());
      await expect(store().commit(collection, [], { ...move(collection, null, 1n), fence: 0 })).rejects.toBeInstanceOf(RangeError);
      await expect(store().commit(collection, [], { ...move(collection, null, 1n), fence: 1.5 })).rejects.toBeInstanceOf(RangeError);
    });
  });
};

export const metaContract = (store: () => ReadStore): void => {
  describe('meta', () => {
    it('sets, reads, overwrites and deletes a record', async () => {
      const key = `${uniqueName()}/active`;
      expect(await store().getMeta(key)).toBeNull();
      const value = { generation: 2, note: 'Übergabe 🏠', nested: { list: [1, 'zwei', null], flag: true } };
      await store().setMeta(key, value);
      expect(await store().getMeta(key)).toStrictEqual(value);
      await store().setMeta(key, ['replaced']);
      expect(await store().getMeta(key)).toStrictEqual(['replaced']);
      await store().deleteMeta(key);
      expect(await store().getMeta(key)).toBeNull();
      await store().deleteMeta(key);
    });

    it('compares and sets: absent, equal (in any key order) and different', async () => {
      const key = uniqueName();
      expect(await store().compareAndSetMeta(key, null, { generation: 1, version: 1 })).toBe(true);
      expect(await store().compareAndSetMeta(key, null, { generation: 9, version: 9 })).toBe(false);
      expect(await store().compareAndSetMeta(key, { version: 1, generation: 1 }, { generation: 2, version: 1 })).toBe(true);
      expect(await store().getMeta(key)).toStrictEqual({ generation: 2, version: 1 });
      expect(await store().compareAndSetMeta(key, { generation: 1, version: 1 }, { generation: 3, version: 1 })).toBe(false);
      expect(await store().compareAndSetMeta(key, { generation: 2 }, { generation: 3, version: 1 })).toBe(false);
      expect(await store().getMeta(key)).toStrictEqual({ generation: 2, version: 1 });
      // Setting the value it already has still counts as set.
      expect(await store().compareAndSetMeta(key, { generation: 2, version: 1 }, { version: 1, generation: 2 })).toBe(true);
    });

    it('compares nested values deeply', async () => {
      const key = uniqueName();
      await store().setMeta(key, { a: { x: 1, y: [{ p: 1, q: 2 }] }, b: 'ä' });
      expect(await store().compareAndSetMeta(key, { b: 'ä', a: { y: [{ q: 2, p: 1 }], x: 1 } }, { done: true })).toBe(true);
      expect(await store().getMeta(key)).toStrictEqual({ done: true });
    });

    it('refuses null and undefined values', async () => {
      await expect(store().setMeta(uniqueName(), null)).rejects.toBeInstanceOf(RangeError);
      await expect(store().setMeta(uniqueName(), undefined)).rejects.toBeInstanceOf(RangeError);
      await expect(store().compareAndSetMeta(uniqueName(), null, null)).rejects.toBeInstanceOf(RangeError);
    });

    it('lists the records under a prefix in key order, wildcard characters included literally', async () => {
      const p = uniqueName();
      const keys = [`${p}/b/2`, `${p}/a`, `${p}/b/1`, `${p}/ü`, `${p}/z`, `${p}%x`, `${p}_y`, `${p}/b`, `${p}0`];
      for (const [i, key] of keys.entries()) await store().setMeta(key, { i });
      const list = async (prefix: string) => (await store().listMeta<{ i: number }>(prefix)).map((entry) => entry.key);
      expect(await list(`${p}/b/`)).toEqual([`${p}/b/1`, `${p}/b/2`]);
      expect(await list(`${p}/`)).toEqual([`${p}/a`, `${p}/b`, `${p}/b/1`, `${p}/b/2`, `${p}/z`, `${p}/ü`]);
      expect(await list(`${p}%`)).toEqual([`${p}%x`]);
      expect(await list(`${p}_`)).toEqual([`${p}_y`]);
      expect(await list(`${p}/b/3`)).toEqual([]);
      expect(await store().listMeta(`${p}/a`)).toStrictEqual([{ key: `${p}/a`, value: { i: 1 } }]);
      expect((await list(p)).sort()).toEqual([...keys].sort());
    });
  });
};

export const lifecycleContract = (store: () => ReadStore, open: () => Promise<OpenedStore>): void => {
  describe('lifecycle', () => {
    it('answers a ping', async () => {
      expect(await store().ping()).toBe(true);
    });

    it('reports unavailable once closed', async () => {
      const other = await open();
      try {
        await other.store.close();
        await other.store.close();
        expect(await other.store.ping()).toBe(false);
        await expect(other.store.getMeta('x')).rejects.toBeInstanceOf(ReadStoreUnavailableError);
        await expect(other.store.getCheckpoint('x')).rejects.toBeInstanceOf(ReadStoreUnavailableError);
        await expect(other.store.acquireLease('x', 'a', 1000, 0)).rejects.toBeInstanceOf(ReadStoreUnavailableError);
      } finally {
        await other.cleanup();
      }
    });
  });
};
