import { ConcurrencyError } from '../lib/errors';
import type { EventStore } from '../lib/port';
import { idsOf, newEvent, newEvents, uniqueCategory, uniqueStream } from './fixtures';

export const appendContract = (store: () => EventStore): void => {
  describe('append', () => {
    it('starts a new stream at revision 0 with no-stream', async () => {
      const stream = uniqueStream();
      const event = newEvent();
      const result = await store().append(stream, [event], 'no-stream');
      expect(result.revision).toBe(0);
      expect(result.position).toBeGreaterThan(0n);
      const read = await store().readStream(stream);
      expect(read).toEqual([{ ...event, streamName: stream, revision: 0, position: result.position }]);
    });

    it('appends several events atomically with consecutive revisions', async () => {
      const stream = uniqueStream();
      const events = newEvents(3);
      const result = await store().append(stream, events, 'no-stream');
      expect(result.revision).toBe(2);
      const read = await store().readStream(stream);
      expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(idsOf(read)).toEqual(idsOf(events));
      expect(read[2].position).toBe(result.position);
      expect((await store().append(stream, [newEvent()], 2)).revision).toBe(3);
    });

    it('rejects a stale expected revision and writes nothing', async () => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      await store().append(stream, newEvents(2), 'no-stream');
      const before = await store().readStream(stream);
      const head = await store().headPosition(category);
      const stale = store().append(stream, newEvents(2), 0);
      await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(stale).rejects.toMatchObject({ stream, expected: '0', actual: '1' });
      await expect(store().append(stream, [newEvent()], 5)).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await store().readStream(stream)).toEqual(before);
      expect(await store().headPosition(category)).toBe(head);
    });

    it('rejects no-stream when the stream exists', async () => {
      const stream = uniqueStream();
      await store().append(stream, [newEvent()], 'no-stream');
      const again = store().append(stream, [newEvent()], 'no-stream');
      await expect(again).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(again).rejects.toMatchObject({ stream, expected: 'no-stream', actual: '0' });
      expect(await store().readStream(stream)).toHaveLength(1);
    });

    it('rejects a numeric expected revision when the stream does not exist', async () => {
      const stream = uniqueStream();
      const missing = store().append(stream, [newEvent()], 0);
      await expect(missing).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(missing).rejects.toMatchObject({ actual: 'no-stream' });
      expect(await store().readStream(stream)).toEqual([]);
    });

    it('appends with any whether or not the stream exists', async () => {
      const stream = uniqueStream();
      expect((await store().append(stream, [newEvent()], 'any')).revision).toBe(0);
      expect((await store().append(stream, newEvents(2), 'any')).revision).toBe(2);
      expect(await store().readStream(stream)).toHaveLength(3);
    });

    it('rejects an append without events', async () => {
      await expect(store().append(uniqueStream(), [], 'any')).rejects.toBeInstanceOf(RangeError);
    });

    it('lets exactly one of several concurrent appends with the same expected revision win', async () => {
      const stream = uniqueStream();
      await store().append(stream, [newEvent()], 'no-stream');
      const contenders = newEvents(5);
      const results = await Promise.allSettled(contenders.map((event) => store().append(stream, [event], 0)));
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [contenders[i].id] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(4);
      lost.forEach((reason) => expect(reason).toBeInstanceOf(ConcurrencyError));
      const read = await store().readStream(stream);
      expect(read).toHaveLength(2);
      expect(read[1].id).toBe(won[0]);
    });
  });
};
