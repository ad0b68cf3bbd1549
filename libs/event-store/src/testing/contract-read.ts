import type { EventStore, HeadEventReader, NewEvent, RecordedEvent } from '../lib/port';
import { partitionOf, streamName } from '../lib/streams';
import {
  expectStrictlyIncreasing,
  idsOf,
  newEvent,
  newEvents,
  readAllEvents,
  readBatches,
  testMetadata,
  uniqueCategory,
  uniqueStream,
} from './fixtures';

/** Appends each event on its own (one event per append, as the write side does), in order. */
const appendEach = async (store: EventStore, writes: readonly [string, NewEvent][]): Promise<bigint[]> => {
  const revisions = new Map<string, number>();
  const positions: bigint[] = [];
  for (const [stream, event] of writes) {
    const result = await store.append(stream, [event], revisions.get(stream) ?? 'no-stream');
    revisions.set(stream, result.revision);
    positions.push(result.position);
  }
  return positions;
};

export const readContract = (store: () => EventStore & HeadEventReader): void => {
  describe('readStream', () => {
    it('reads an unknown stream as empty', async () => {
      expect(await store().readStream(uniqueStream())).toEqual([]);
    });

    it('reads from a revision on', async () => {
      const stream = uniqueStream();
      const events = newEvents(4);
      await store().append(stream, events, 'no-stream');
      const read = await store().readStream(stream, { fromRevision: 2 });
      expect(idsOf(read)).toEqual(idsOf(events.slice(2)));
      expect(read.map((e) => e.revision)).toEqual([2, 3]);
    });

    it('reads a long stream back complete and in order', async () => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      const events = newEvents(2000);
      const after = await store().headPosition();
      for (let i = 0; i < events.length; i += 100) {
        await store().append(stream, events.slice(i, i + 100), i === 0 ? 'no-stream' : i - 1);
      }
      const read = await store().readStream(stream);
      expect(idsOf(read)).toEqual(idsOf(events));
      expect(read.every((e, i) => e.revision === i && (e.data as { n: number }).n === i)).toBe(true);
      const all = await readBatches(store(), { category, after, batchSize: 500 });
      expect(all.map((batch) => batch.length)).toEqual([500, 500, 500, 500]);
      expect(idsOf(all.flat())).toEqual(idsOf(events));
    });
  });

  describe('readAll', () => {
    it('returns events in append order with strictly increasing positions', async () => {
      const category = uniqueCategory();
      const [a, b] = [uniqueStream(category), uniqueStream(category)];
      const events = newEvents(5);
      const after = await store().headPosition();
      const positions = await appendEach(
        store(),
        [a, b, a, b, a].map((s, i) => [s, events[i]] as [string, NewEvent]),
      );
      const read = await readAllEvents(store(), { category, after });
      expect(idsOf(read)).toEqual(idsOf(events));
      expect(read.map((e) => e.position)).toEqual(positions);
      expect(read.map((e) => e.streamName)).toEqual([a, b, a, b, a]);
      expectStrictlyIncreasing(positions);
    });

    it('reads after a position exclusively', async () => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      const events = newEvents(4);
      const positions = await appendEach(
        store(),
        events.map((e) => [stream, e] as [string, NewEvent]),
      );
      const read = await readAllEvents(store(), { category, after: positions[1] });
      expect(idsOf(read)).toEqual(idsOf(events.slice(2)));
    });

    it('filters by category', async () => {
      const [mine, other] = [uniqueCategory(), uniqueCategory()];
      const [a, b] = [uniqueStream(mine), uniqueStream(other)];
      const events = newEvents(4);
      const after = await store().headPosition();
      await appendEach(
        store(),
        [a, b, a, b].map((s, i) => [s, events[i]] as [string, NewEvent]),
      );
      expect(idsOf(await readAllEvents(store(), { category: mine, after }))).toEqual(idsOf([events[0], events[2]]));
      const ours = new Set(idsOf(events));
      const everything = (await readAllEvents(store(), { after })).filter((e) => ours.has(e.id));
      expect(idsOf(everything)).toEqual(idsOf(events));
    });

    it('respects batchSize and limit', async () => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      const events = newEvents(7);
      const after = await store().headPosition();
      await appendEach(
        store(),
        events.map((e) => [stream, e] as [string, NewEvent]),
      );
      const batches = await readBatches(store(), { category, after, batchSize: 3 });
      expect(batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
      expect(idsOf(batches.flat())).toEqual(idsOf(events));
      const limited = await readBatches(store(), { category, after, batchSize: 3, limit: 5 });
      expect(limited.map((batch) => batch.length)).toEqual([3, 2]);
      expect(idsOf(limited.flat())).toEqual(idsOf(events.slice(0, 5)));
    });
  });

  describe('readAll by partition', () => {
    // Streams ending in each of 0-9 and a-f (what UUIDs end in), two events each, interleaved.
    const partitionedLog = async () => {
      const category = uniqueCategory();
      const base = uniqueStream(category).slice(0, -1);
      const streams = [...'0123456789abcdef'].map((c) => `${base}${c}`);
      const events = newEvents(streams.length * 2);
      const after = await store().headPosition();
      await appendEach(
        store(),
        events.map((e, i) => [streams[i % streams.length], e] as [string, NewEvent]),
      );
      return { category, events, after };
    };

    it('splits the log into parts that together hold every event once, each stream in one part, in log order', async () => {
      const { category, events, after } = await partitionedLog();
      for (const count of [1, 2, 3]) {
        const parts = [];
        for (let index = 0; index < count; index++)
          parts.push(await readAllEvents(store(), { category, after, partition: { index, count }, batchSize: 5 }));
        parts.forEach((part, index) => {
          expect(part.every((e) => partitionOf(e.streamName, count) === index)).toBe(true);
          expectStrictlyIncreasing(part.map((e) => e.position));
        });
        expect(new Set(idsOf(parts.flat()))).toEqual(new Set(idsOf(events)));
        expect(parts.flat()).toHaveLength(events.length);
      }
      // Code points: '0'..'9' are 48..57 and 'a'..'f' 97..102, so two parts hold 8 streams each.
      const [even] = [await readAllEvents(store(), { category, after, partition: { index: 0, count: 2 } })];
      expect(even).toHaveLength(16);
    });

    it('keeps after, batchSize and limit within a part', async () => {
      const { category, after } = await partitionedLog();
      const part = { index: 1, count: 2 };
      const all = await readAllEvents(store(), { category, after, partition: part });
      const batches = await readBatches(store(), { category, after: all[3].position, partition: part, batchSize: 4, limit: 9 });
      expect(batches.map((b) => b.length)).toEqual([4, 4, 1]);
      expect(idsOf(batches.flat())).toEqual(idsOf(all.slice(4, 13)));
    });

    it('refuses a partition outside 0 ≤ index < count', async () => {
      const read = (partition: { index: number; count: number }) => readAllEvents(store(), { partition });
      await expect(read({ index: 2, count: 2 })).rejects.toThrow(RangeError);
      await expect(read({ index: 0, count: 0 })).rejects.toThrow(RangeError);
      expect(partitionOf(streamName('case', 'x-1'), 2)).toBe(49 % 2);
    });
  });

  describe('round trips', () => {
    const roundTrip = async (event: NewEvent): Promise<RecordedEvent> => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      const after = await store().headPosition();
      await store().append(stream, [event], 'no-stream');
      const [viaAll] = await readAllEvents(store(), { category, after });
      const [viaStream] = await store().readStream(stream);
      expect(viaAll).toStrictEqual(viaStream);
      return viaStream;
    };

    it('keeps unicode exactly, in data and metadata', async () => {
      const text = {
        german: 'Größe, Übergabe, Maßnahme, ÄÖÜäöüß',
        emoji: '🏠👩‍👩‍👧‍👦🇩🇪 ✅',
        rtl: 'مرحبا بالعالم — שלום עולם',
        combining: 'e\u0301 vs é',
        cjk: '漢字かなカナ한국어',
        escapes: 'quote " backslash \\ newline \n tab \t',
        nested: [{ name: 'Jürgen Müller-Lüdenscheidt' }, ['ğ', 'ł', 'ø']],
      };
      const metadata = testMetadata({ userId: 'jürgen.müller', role: 'Sozialarbeiter·in 🧑‍💼 مستخدم' });
      const read = await roundTrip(newEvent(text, 'UnicodeChecked', metadata));
      expect(read.data).toStrictEqual(text);
      expect(read.metadata).toStrictEqual(metadata);
    });

    it('keeps every metadata field and its type', async () => {
      const metadata = testMetadata({ schemaVersion: 3, businessDate: '2024-02-29' });
      const read = await roundTrip(newEvent({}, 'MetadataChecked', metadata));
      expect(read.metadata).toStrictEqual(metadata);
      expect(typeof read.metadata.schemaVersion).toBe('number');
    });

    it.each([
      ['an object', { a: 1, b: [true, null, -2.5], c: { d: '' } }],
      ['an array', [1, 'two', { three: 3 }]],
      ['a string', 'just text'],
      ['a number', 42],
      ['a boolean', false],
      ['null', null],
    ])('keeps data that is %s', async (_, data) => {
      expect((await roundTrip(newEvent(data))).data).toStrictEqual(data);
    });
  });

  describe('headPosition', () => {
    it('is the position of the last event appended, overall and per category', async () => {
      const category = uniqueCategory();
      await store().append(uniqueStream(category), [newEvent()], 'no-stream');
      const last = await store().append(uniqueStream(category), [newEvent()], 'no-stream');
      expect(await store().headPosition(category)).toBe(last.position);
      expect(await store().headPosition()).toBe(last.position);
    });

    it('is 0n for a category without events', async () => {
      expect(await store().headPosition(uniqueCategory())).toBe(0n);
    });
  });

  describe('lastEvent', () => {
    it('is the event at the head, as stored (what a store migration resumes after)', async () => {
      const stream = uniqueStream();
      const metadata = testMetadata({ schemaVersion: 2 });
      await store().append(stream, [newEvent({ n: 1 })], 'no-stream');
      const event = newEvent({ n: 2, nested: { a: [1, null] } }, 'LastChecked', metadata);
      const { position } = await store().append(stream, [event], 0);
      expect(await store().lastEvent()).toStrictEqual({ ...event, streamName: stream, revision: 1, position });
      expect(await store().headPosition()).toBe(position);
    });
  });

  describe('copying a log (store migration)', () => {
    it('keeps ids, types, metadata and revisions, and never writes a repeated append twice', async () => {
      const stream = uniqueStream();
      const events = newEvents(3);
      await store().append(stream, events.slice(0, 2), 'no-stream');
      await store().append(stream, events.slice(2), 1);
      // The same events again at the same expected revision: either answered as done or refused, never a second copy.
      await store()
        .append(stream, events.slice(2), 1)
        .catch((error: unknown) => expect((error as Error).name).toBe('ConcurrencyError'));
      const read = await store().readStream(stream);
      expect(read.map((e) => [e.id, e.type, e.revision, e.metadata])).toStrictEqual(events.map((e, i) => [e.id, e.type, i, e.metadata]));
    });
  });

  describe('countEvents', () => {
    it("counts the category's events, not the positions between them", async () => {
      const [mine, other] = [uniqueCategory(), uniqueCategory()];
      await store().append(uniqueStream(mine), newEvents(3), 'no-stream');
      await store().append(uniqueStream(other), newEvents(4), 'no-stream');
      await store().append(uniqueStream(mine), newEvents(2), 'no-stream');
      expect(await store().countEvents(mine)).toBe(5);
      expect(await store().countEvents(uniqueCategory())).toBe(0);
    });
  });
};
