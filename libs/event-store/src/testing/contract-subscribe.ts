import type { EventStore } from '../lib/port';
import {
  expectStrictlyIncreasing,
  idsOf,
  newEvent,
  newEvents,
  settlesWithin,
  sleep,
  subscribeUntil,
  uniqueCategory,
  uniqueStream,
} from './fixtures';

/** Appends events round-robin over `streams`, one event per append, tracking revisions. */
const roundRobinAppender = (store: () => EventStore, streams: readonly string[]) => {
  const revisions = new Map<string, number>();
  return async (event: ReturnType<typeof newEvent>, i: number): Promise<bigint> => {
    const stream = streams[i % streams.length];
    const result = await store().append(stream, [event], revisions.get(stream) ?? 'no-stream');
    revisions.set(stream, result.revision);
    return result.position;
  };
};

export const subscriptionContract = (store: () => EventStore): void => {
  describe('subscribe', () => {
    it('catches up from a position, then goes live, without gap or duplicate', async () => {
      const category = uniqueCategory();
      const appendOne = roundRobinAppender(
        store,
        [1, 2, 3].map(() => uniqueStream(category)),
      );
      const noise = uniqueStream(uniqueCategory());
      const events = newEvents(300);
      const positions: bigint[] = [];
      const after = await store().headPosition();
      for (let i = 0; i < 150; i++) positions.push(await appendOne(events[i], i));

      const subscription = subscribeUntil(store(), { category, after, batchSize: 40 }, events.length);
      for (let i = 150; i < 300; i++) {
        positions.push(await appendOne(events[i], i));
        if (i % 10 === 0) {
          await store().append(noise, [newEvent()], 'any');
          await sleep(1);
        }
      }
      const ended = await settlesWithin(subscription.done, 10_000);
      subscription.controller.abort();
      await subscription.done;

      expect(ended).toBe(true);
      const received = subscription.batches.flat();
      expect(idsOf(received)).toEqual(idsOf(events));
      expect(received.map((e) => e.position)).toEqual(positions);
      expectStrictlyIncreasing(positions);
      expect(subscription.batches.every((batch) => batch.length > 0 && batch.length <= 40)).toBe(true);
    });

    it('starts after the given position (exclusive) and delivers only its category', async () => {
      const [mine, other] = [uniqueCategory(), uniqueCategory()];
      const [a, b] = [uniqueStream(mine), uniqueStream(other)];
      const events = newEvents(5);
      const first = await store().append(a, [events[0]], 'no-stream');
      await store().append(b, [events[1]], 'no-stream');
      await store().append(a, [events[2]], 0);
      const subscription = subscribeUntil(store(), { category: mine, after: first.position }, 2);
      await store().append(b, [events[3]], 0);
      await store().append(a, [events[4]], 1);
      expect(await settlesWithin(subscription.done, 5000)).toBe(true);
      expect(idsOf(subscription.batches.flat())).toEqual(idsOf([events[2], events[4]]));
    });

    it('ends promptly when the signal aborts while waiting for events', async () => {
      const subscription = subscribeUntil(store(), { category: uniqueCategory(), after: await store().headPosition() }, 1);
      await sleep(50);
      subscription.controller.abort();
      expect(await settlesWithin(subscription.done, 1000)).toBe(true);
      expect(subscription.batches).toEqual([]);
    });

    it('stops after the current batch when the signal aborts', async () => {
      const category = uniqueCategory();
      const after = await store().headPosition();
      await store().append(uniqueStream(category), newEvents(10), 'no-stream');
      const controller = new AbortController();
      const batches = [];
      for await (const batch of store().subscribe({ category, after, batchSize: 2, signal: controller.signal })) {
        batches.push(batch);
        controller.abort();
      }
      expect(batches).toHaveLength(1);
    });

    it('yields nothing when the signal is already aborted', async () => {
      const category = uniqueCategory();
      await store().append(uniqueStream(category), [newEvent()], 'no-stream');
      const controller = new AbortController();
      controller.abort();
      const batches = [];
      for await (const batch of store().subscribe({ category, signal: controller.signal })) batches.push(batch);
      expect(batches).toEqual([]);
    });

    it('ends when the consumer breaks out, and the store stays usable', async () => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      const events = newEvents(3);
      const after = await store().headPosition();
      await store().append(stream, events, 'no-stream');
      // A network stream may hand over one event per batch: how many each batch holds is not the
      // contract, only that they come in order, each once.
      const consume = async (): Promise<string[]> => {
        const received: string[] = [];
        for await (const batch of store().subscribe({ category, after, batchSize: 2 })) {
          received.push(...idsOf(batch));
          if (received.length >= 2) return received;
        }
        return received;
      };
      const first = consume();
      expect(await settlesWithin(first, 2000)).toBe(true);
      const received = await first;
      expect(received.length).toBeGreaterThanOrEqual(2);
      expect(received).toEqual(idsOf(events).slice(0, received.length));
      expect((await store().append(stream, [newEvent()], 2)).revision).toBe(3);
    });
  });
};
