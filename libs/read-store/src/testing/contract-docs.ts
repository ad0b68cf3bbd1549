import { CheckpointConflictError } from '../lib/errors';
import type { ReadStore } from '../lib/port';
import type { ContractOptions } from './contract';
import { TEST_INDEXES, commitWrites, docWrite, idsWhere, move, newCollection, uniqueName } from './fixtures';

export const documentContract = (store: () => ReadStore, options: ContractOptions): void => {
  describe('collections', () => {
    it('creates a collection idempotently, keeping its documents', async () => {
      const collection = await newCollection(store());
      await commitWrites(store(), collection, [docWrite('a', { n: 1 }, 1n, { status: 'open' })]);
      await store().ensureCollection({ name: collection, indexes: [...TEST_INDEXES].reverse() });
      expect((await store().get(collection, 'a'))?.doc).toEqual({ n: 1 });
      expect(await idsWhere(store(), collection, [{ field: 'status', op: 'eq', value: 'open' }])).toEqual(['a']);
    });

    it('refuses a changed set of index fields for an existing collection', async () => {
      const collection = await newCollection(store());
      await expect(store().ensureCollection({ name: collection, indexes: ['status'] })).rejects.toThrow(/new generation/);
      const extended = store().ensureCollection({ name: collection, indexes: [...TEST_INDEXES, 'extra'] });
      await expect(extended).rejects.toThrow(/new generation/);
    });

    it.each([['Cases@1'], ['cases@x'], ['ca ses@1'], ['doc"; DROP TABLE meta; --'], [''], ['cases_1'], ['a--b@1']])(
      'refuses the collection name %j',
      async (name) => {
        await expect(store().ensureCollection({ name, indexes: [] })).rejects.toBeInstanceOf(RangeError);
      },
    );

    it.each([['1st'], ['ix.status'], ['sta tus'], ['$status']])('refuses the index field %j', async (field) => {
      await expect(store().ensureCollection({ name: `${uniqueName()}@1`, indexes: [field] })).rejects.toBeInstanceOf(RangeError);
    });

    it('refuses an index field listed twice, also in another case', async () => {
      const twice = store().ensureCollection({ name: `${uniqueName()}@1`, indexes: ['status', 'Status'] });
      await expect(twice).rejects.toBeInstanceOf(RangeError);
    });

    it('refuses compound and search indexes on fields that are no index fields', async () => {
      const name = `${uniqueName()}@1`;
      await expect(store().ensureCollection({ name, indexes: ['status'], compoundIndexes: [['status', 'due']] })).rejects.toBeInstanceOf(
        RangeError,
      );
      await expect(store().ensureCollection({ name, indexes: ['status'], compoundIndexes: [[]] })).rejects.toBeInstanceOf(RangeError);
      await expect(store().ensureCollection({ name, indexes: ['status'], searchIndexes: ['name'] })).rejects.toBeInstanceOf(RangeError);
      await expect(store().ensureIndexes({ name, indexes: ['status'] })).rejects.toThrow(/ensureCollection/);
    });

    it('drops a collection with its search index; created again, the search finds only the new documents', async () => {
      const spec = { name: `${uniqueName()}@1`, indexes: ['status', 'name'], searchIndexes: ['name'] };
      await store().ensureCollection(spec);
      await commitWrites(store(), spec.name, [docWrite('a', {}, 1n, { name: 'Familie Krause' })]);
      await store().dropCollection(spec.name);
      await store().ensureCollection(spec, { deferIndexes: true });
      await commitWrites(store(), spec.name, [docWrite('b', {}, 1n, { name: 'Herr Krause' })]);
      await store().ensureIndexes(spec);
      expect(await idsWhere(store(), spec.name, [{ field: 'name', op: 'contains', value: 'krause' }])).toEqual(['b']);
      await store().dropCollection(spec.name);
    });

    it('drops a collection with its documents; created again, it is empty', async () => {
      const collection = await newCollection(store());
      await commitWrites(store(), collection, [docWrite('a', { n: 1 }, 1n), docWrite('b', { n: 2 }, 2n)]);
      await store().dropCollection(collection);
      expect(await store().get(collection, 'a')).toBeNull();
      expect(await store().count(collection)).toBe(0);
      await store().ensureCollection({ name: collection, indexes: ['status'] });
      expect(await store().count(collection)).toBe(0);
      expect(await store().get(collection, 'b')).toBeNull();
      await store().dropCollection(collection);
      await store().dropCollection(collection);
    });

    it('lists the collections whose names start with a prefix, in name order; a dropped one no longer', async () => {
      const model = uniqueName();
      for (const generation of [2, 10, 1]) await store().ensureCollection({ name: `${model}@${generation}`, indexes: ['status'] });
      await store().ensureCollection({ name: `${model}-other@1`, indexes: [] });
      expect(await store().listCollections(`${model}@`)).toEqual([`${model}@1`, `${model}@10`, `${model}@2`]);
      await commitWrites(store(), `${model}@10`, [docWrite('a', { n: 1 }, 1n, { status: 'open' })]);
      await store().dropCollection(`${model}@10`);
      expect(await store().listCollections(`${model}@`)).toEqual([`${model}@1`, `${model}@2`]);
      expect(await store().listCollections(`${model}-`)).toEqual([`${model}-other@1`]);
      expect(await store().listCollections(`${uniqueName()}@`)).toEqual([]);
      for (const name of [`${model}@1`, `${model}@2`, `${model}-other@1`]) await store().dropCollection(name);
    });

    it('reads a collection that does not exist as empty, and refuses commits to it', async () => {
      const missing = `${uniqueName()}@1`;
      expect(await store().get(missing, 'a')).toBeNull();
      expect((await store().getMany(missing, ['a'])).size).toBe(0);
      expect(await store().find(missing, { sortBy: 'status', limit: 10 })).toEqual([]);
      expect(await store().count(missing)).toBe(0);
      const commit = store().commit(missing, [docWrite('a', {}, 1n)], move(missing, null, 1n));
      await expect(commit).rejects.toThrow(/ensureCollection/);
      expect(await store().getCheckpoint(missing)).toBeNull();
    });
  });

  describe('commit', () => {
    it('writes the documents and moves the checkpoint', async () => {
      const collection = await newCollection(store());
      expect(await store().getCheckpoint(collection)).toBeNull();
      const writes = [docWrite('a', { n: 1 }, 5n, { status: 'open' }), docWrite('b', { n: 2 }, 7n)];
      await store().commit(collection, writes, move(collection, null, 10n));
      expect(await store().getCheckpoint(collection)).toBe(10n);
      expect(await store().get(collection, 'a')).toStrictEqual({ id: 'a', doc: { n: 1 }, position: 5n });
      await store().commit(collection, [docWrite('c', { n: 3 }, 11n)], move(collection, 10n, 12n));
      expect(await store().getCheckpoint(collection)).toBe(12n);
      // The checkpoint may stay where it is (documents re-applied without new events).
      await store().commit(collection, [], move(collection, 12n, 12n));
      expect(await store().getCheckpoint(collection)).toBe(12n);
    });

    it('writes a document given as JSON text (with `doc` parsing it on demand) like one given as a value', async () => {
      const collection = await newCollection(store());
      const json = JSON.stringify({ n: 1, name: 'Ärger' });
      const asText = {
        id: 'a',
        position: 3n,
        index: { status: 'open' },
        json,
        get doc(): unknown {
          return JSON.parse(json);
        },
      };
      await store().commit(collection, [asText, docWrite('b', { n: 2 }, 4n, { status: 'open' })], move(collection, null, 4n));
      expect(await store().get(collection, 'a')).toStrictEqual({ id: 'a', doc: { n: 1, name: 'Ärger' }, position: 3n });
      expect(await store().count(collection, [{ field: 'status', op: 'eq', value: 'open' }])).toBe(2);
    });

    it('reads documents by id, one or many', async () => {
      const collection = await newCollection(store());
      await commitWrites(
        store(),
        collection,
        ['a', 'b', 'c'].map((id, i) => docWrite(id, { n: i + 1 }, BigInt(i + 1))),
      );
      expect(await store().get(collection, 'zz')).toBeNull();
      const many = await store().getMany(collection, ['c', 'a', 'zz']);
      expect([...many.keys()].sort()).toEqual(['a', 'c']);
      expect(many.get('c')).toStrictEqual({ id: 'c', doc: { n: 3 }, position: 3n });
      expect((await store().getMany(collection, [])).size).toBe(0);
    });

    it('refuses a stale expected checkpoint and writes nothing', async () => {
      const collection = await newCollection(store());
      await store().commit(collection, [docWrite('a', { v: 1 }, 5n, { status: 'open' })], move(collection, null, 5n));
      await store().commit(collection, [], move(collection, 5n, 8n));
      const writes = [docWrite('a', { v: 2 }, 6n, { status: 'closed' }), docWrite('b', { v: 1 }, 7n)];
      const stale = store().commit(collection, writes, move(collection, 5n, 9n));
      await expect(stale).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(stale).rejects.toMatchObject({ checkpoint: collection, expected: '5', actual: '8' });
      expect(await store().get(collection, 'a')).toStrictEqual({ id: 'a', doc: { v: 1 }, position: 5n });
      expect(await store().get(collection, 'b')).toBeNull();
      expect(await idsWhere(store(), collection, [{ field: 'status', op: 'eq', value: 'closed' }])).toEqual([]);
      expect(await store().getCheckpoint(collection)).toBe(8n);
    });

    it('refuses expected null when a checkpoint exists, and a position when none does', async () => {
      const collection = await newCollection(store());
      const none = store().commit(collection, [docWrite('a', {}, 1n)], move(collection, 3n, 4n));
      await expect(none).rejects.toMatchObject({ name: 'CheckpointConflictError', expected: '3', actual: 'none' });
      await store().commit(collection, [], move(collection, null, 2n));
      const again = store().commit(collection, [docWrite('a', {}, 3n)], move(collection, null, 3n));
      await expect(again).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(again).rejects.toMatchObject({ expected: 'none', actual: '2' });
      expect(await store().get(collection, 'a')).toBeNull();
      expect(await store().getCheckpoint(collection)).toBe(2n);
    });

    it('lets exactly one of several commits from the same checkpoint win', async () => {
      const collection = await newCollection(store());
      const contenders = ['w1', 'w2', 'w3', 'w4', 'w5'];
      const results = await Promise.allSettled(
        contenders.map((id) => store().commit(collection, [docWrite(id, { id }, 10n)], move(collection, null, 10n))),
      );
      const won = contenders.filter((_, i) => results[i].status === 'fulfilled');
      expect(won).toHaveLength(1);
      results
        .flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []))
        .forEach((reason) => expect(reason).toBeInstanceOf(CheckpointConflictError));
      expect((await store().get(collection, won[0]))?.doc).toEqual({ id: won[0] });
      expect(await store().getCheckpoint(collection)).toBe(10n);
      // Without a transaction, a loser may have written its documents before its compare-and-set
      // failed: harmless for projections, whose writers of one log write the same documents.
      if (options.atomicCommits) expect([...(await store().getMany(collection, contenders)).keys()]).toEqual(won);
    });

    it('writes nothing when a commit fails part-way', async () => {
      const collection = await newCollection(store());
      await commitWrites(store(), collection, [docWrite('a', { v: 1 }, 1n)]);
      // JSON cannot hold a bigint: the third write fails after the first two were prepared.
      const writes = [docWrite('a', { v: 2 }, 2n), docWrite('b', { v: 1 }, 3n), docWrite('c', { v: 10n }, 4n)];
      await expect(store().commit(collection, writes, move(collection, 1n, 4n))).rejects.toThrow();
      expect((await store().get(collection, 'a'))?.doc).toEqual({ v: 1 });
      expect(await store().get(collection, 'b')).toBeNull();
      expect(await store().getCheckpoint(collection)).toBe(1n);
    });

    it.each([
      ['a negative position', [docWrite('a', {}, -1n)], null, 1n],
      ['a position above 2^63 - 1', [docWrite('a', {}, 2n ** 63n)], null, 1n],
      ['a number as position', [{ id: 'a', doc: {}, position: 1 as unknown as bigint, index: {} }], null, 1n],
      ['an empty id', [docWrite('', {}, 1n)], null, 1n],
      ['an undefined document', [docWrite('a', undefined, 1n)], null, 1n],
      ['an unknown index field', [docWrite('a', {}, 1n, { colour: 'red' })], null, 1n],
      ['an object as index value', [docWrite('a', {}, 1n, { status: {} as unknown as string })], null, 1n],
      ['NaN as index value', [docWrite('a', {}, 1n, { rank: NaN })], null, 1n],
      ['a checkpoint moving back', [], 5n, 4n],
    ])('refuses %s with a RangeError', async (_, writes, expected, next) => {
      const collection = await newCollection(store());
      if (expected !== null) await store().commit(collection, [], move(collection, null, expected));
      await expect(store().commit(collection, writes, move(collection, expected, next))).rejects.toBeInstanceOf(RangeError);
      expect(await store().get(collection, 'a')).toBeNull();
      expect(await store().getCheckpoint(collection)).toBe(expected);
    });

    it('keeps positions above 2^53 exactly, up to 2^63 - 1', async () => {
      const collection = await newCollection(store());
      const big = 2n ** 62n + 1n;
      await store().commit(collection, [docWrite('a', { v: 1 }, big)], move(collection, null, big));
      expect(await store().get(collection, 'a')).toStrictEqual({ id: 'a', doc: { v: 1 }, position: big });
      expect(await store().getCheckpoint(collection)).toBe(big);
      // One above: would be lost as a double.
      const writes = [docWrite('a', { v: 0 }, big - 1n), docWrite('b', { v: 2 }, big + 1n)];
      await store().commit(collection, writes, move(collection, big, 2n ** 63n - 1n));
      expect((await store().get(collection, 'a'))?.doc).toEqual({ v: 1 });
      expect((await store().get(collection, 'b'))?.position).toBe(big + 1n);
      expect(await store().getCheckpoint(collection)).toBe(2n ** 63n - 1n);
    });
  });

  describe('replay guard', () => {
    it('ignores the same writes committed again once the checkpoint moved on', async () => {
      const collection = await newCollection(store());
      await store().commit(collection, [docWrite('a', { v: 1 }, 5n, { status: 'open' })], move(collection, null, 5n));
      // Same position, different content: only a skipped write leaves the first content in place.
      await store().commit(collection, [docWrite('a', { v: 'replayed' }, 5n, { status: 'replayed' })], move(collection, 5n, 6n));
      expect(await store().get(collection, 'a')).toStrictEqual({ id: 'a', doc: { v: 1 }, position: 5n });
      expect(await idsWhere(store(), collection, [{ field: 'status', op: 'eq', value: 'replayed' }])).toEqual([]);
      expect(await store().getCheckpoint(collection)).toBe(6n);
    });

    it('never lets an older position overwrite a newer document', async () => {
      const collection = await newCollection(store());
      await commitWrites(store(), collection, [docWrite('a', { v: 'new' }, 10n, { status: 'new' })]);
      await store().commit(collection, [docWrite('a', { v: 'old' }, 8n, { status: 'old' })], move(collection, 10n, 11n));
      expect(await store().get(collection, 'a')).toStrictEqual({ id: 'a', doc: { v: 'new' }, position: 10n });
      expect(await idsWhere(store(), collection, [{ field: 'status', op: 'eq', value: 'old' }])).toEqual([]);
      await commitWrites(store(), collection, [docWrite('a', { v: 'newer' }, 12n, { status: 'newer' })]);
      expect(await store().get(collection, 'a')).toStrictEqual({ id: 'a', doc: { v: 'newer' }, position: 12n });
      expect(await idsWhere(store(), collection, [{ field: 'status', op: 'eq', value: 'newer' }])).toEqual(['a']);
    });

    it('deletes with doc null; an older write replayed later does not bring the document back', async () => {
      const collection = await newCollection(store());
      const open = { status: 'open' };
      await commitWrites(store(), collection, [docWrite('a', { v: 1 }, 5n, open), docWrite('b', { v: 1 }, 5n, open)]);
      await commitWrites(store(), collection, [docWrite('a', null, 6n)]);
      expect(await store().get(collection, 'a')).toBeNull();
      expect([...(await store().getMany(collection, ['a', 'b'])).keys()]).toEqual(['b']);
      expect(await idsWhere(store(), collection, [])).toEqual(['b']);
      expect(await store().count(collection)).toBe(1);
      expect(await store().count(collection, [{ field: 'status', op: 'eq', value: null }])).toBe(0);
      await store().commit(collection, [docWrite('a', { v: 1 }, 5n, open)], move(collection, 6n, 7n));
      expect(await store().get(collection, 'a')).toBeNull();
      await commitWrites(store(), collection, [docWrite('a', { v: 2 }, 8n)]);
      expect(await store().get(collection, 'a')).toStrictEqual({ id: 'a', doc: { v: 2 }, position: 8n });
    });

    it('applies several writes to one document in one commit by position', async () => {
      const collection = await newCollection(store());
      const writes = [docWrite('a', { v: 1 }, 5n), docWrite('a', { v: 2 }, 6n), docWrite('a', { v: 0 }, 4n)];
      await commitWrites(store(), collection, writes);
      expect(await store().get(collection, 'a')).toStrictEqual({ id: 'a', doc: { v: 2 }, position: 6n });
    });
  });

  describe('round trips', () => {
    it('keeps unicode exactly, in documents and ids', async () => {
      const collection = await newCollection(store());
      const doc = {
        german: 'Größe, Übergabe, Maßnahme, ÄÖÜäöüß',
        emoji: '🏠👩‍👩‍👧‍👦🇩🇪 ✅',
        rtl: 'مرحبا بالعالم — שלום עולם',
        combining: 'e\u0301 vs é',
        escapes: 'quote " backslash \\ newline \n tab \t',
        nested: [{ name: 'Jürgen Müller-Lüdenscheidt' }, ['ğ', 'ł', 'ø']],
      };
      const id = 'fall-Müller-🏠';
      await commitWrites(store(), collection, [docWrite(id, doc, 1n, { name: doc.german })]);
      expect((await store().get(collection, id))?.doc).toStrictEqual(doc);
      expect((await store().getMany(collection, [id])).get(id)?.doc).toStrictEqual(doc);
      expect(await idsWhere(store(), collection, [{ field: 'name', op: 'eq', value: doc.german }])).toEqual([id]);
    });

    it.each([
      ['an object', { a: 1, b: [true, null, -2.5], c: { d: '' }, e: 1e21 }],
      ['an array', [1, 'two', { three: 3 }]],
      ['a string', 'just text'],
      ['a number', 0],
      ['a boolean', false],
    ])('keeps a document that is %s', async (_, doc) => {
      const collection = await newCollection(store());
      await commitWrites(store(), collection, [docWrite('a', doc, 1n)]);
      expect((await store().get(collection, 'a'))?.doc).toStrictEqual(doc);
    });

    it('stores documents as JSON: undefined properties are dropped', async () => {
      const collection = await newCollection(store());
      await commitWrites(store(), collection, [docWrite('a', { kept: 1, dropped: undefined }, 1n)]);
      expect((await store().get(collection, 'a'))?.doc).toStrictEqual({ kept: 1 });
    });
  });
};
