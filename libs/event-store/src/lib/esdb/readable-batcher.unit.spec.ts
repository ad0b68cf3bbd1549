import { PassThrough } from 'node:stream';
import { ReadableBatcher, rebatch } from './readable-batcher';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const collect = async <T>(source: AsyncIterable<T[]>): Promise<T[][]> => {
  const batches: T[][] = [];
  for await (const batch of source) batches.push(batch);
  return batches;
};

describe('ReadableBatcher', () => {
  const setup = (highWaterMark = 100) => {
    const source = new PassThrough({ objectMode: true });
    return { source, batcher: new ReadableBatcher<number>(source, highWaterMark) };
  };

  it('returns what is buffered, up to the maximum', async () => {
    const { source, batcher } = setup();
    [0, 1, 2, 3, 4].forEach((n) => source.write(n));
    await tick();
    expect(await batcher.next(3)).toEqual([0, 1, 2]);
    expect(await batcher.next(3)).toEqual([3, 4]);
  });

  it('waits for the first item', async () => {
    const { source, batcher } = setup();
    let result: number[] | undefined;
    const next = batcher.next(10).then((items) => (result = items));
    await tick();
    expect(result).toBeUndefined();
    source.write(7);
    await next;
    expect(result).toEqual([7]);
  });

  it('returns [] when the signal aborts while waiting', async () => {
    const { batcher } = setup();
    const controller = new AbortController();
    const next = batcher.next(10, controller.signal);
    controller.abort();
    expect(await next).toEqual([]);
  });

  it('drains buffered items before reporting the end', async () => {
    const { source, batcher } = setup();
    source.end(1);
    await tick();
    expect(await batcher.next(10)).toEqual([1]);
    expect(await batcher.next(10)).toEqual([]);
  });

  it('drains buffered items before throwing the failure', async () => {
    const { source, batcher } = setup();
    source.write(1);
    await tick();
    source.destroy(new Error('connection lost'));
    await tick();
    expect(await batcher.next(10)).toEqual([1]);
    await expect(batcher.next(10)).rejects.toThrow('connection lost');
  });

  describe('with a fill window', () => {
    const windowMs = 10;
    // Only the window's timer is faked: items arrive on later ticks (setImmediate), as a gRPC
    // stream hands them over, and the window passes only when the test says so.
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    const windowed = () => {
      const source = new PassThrough({ objectMode: true });
      return { source, batcher: new ReadableBatcher<number>(source, 100, windowMs) };
    };

    it('collects items arriving one per tick into one batch, up to the maximum', async () => {
      const { source, batcher } = windowed();
      const next = batcher.next(3);
      for (const n of [0, 1, 2, 3]) {
        source.write(n);
        await tick();
      }
      expect(await next).toEqual([0, 1, 2]);
      expect(await batcher.next(1)).toEqual([3]);
    });

    it('passes on a partial batch once the window has passed', async () => {
      const { source, batcher } = windowed();
      let result: number[] | undefined;
      const next = batcher.next(10).then((items) => (result = items));
      source.write(7);
      await tick();
      source.write(8);
      await tick();
      expect(result).toBeUndefined();
      jest.advanceTimersByTime(windowMs);
      await next;
      expect(result).toEqual([7, 8]);
    });

    it('does not wait for the window once the source has ended', async () => {
      const { source, batcher } = windowed();
      const next = batcher.next(10);
      source.end(1);
      expect(await next).toEqual([1]);
    });
  });

  it('pauses the source at the high-water mark and resumes once drained', async () => {
    const { source, batcher } = setup(4);
    Array.from({ length: 10 }, (_, n) => source.write(n));
    await tick();
    expect(source.isPaused()).toBe(true);
    expect(await batcher.next(100)).toEqual([0, 1, 2, 3]);
    await tick();
    expect(await batcher.next(100)).toEqual([4, 5, 6, 7]);
    await tick();
    expect(await batcher.next(100)).toEqual([8, 9]);
  });
});

describe('rebatch', () => {
  async function* pages(...batches: number[][]): AsyncIterable<number[]> {
    yield* batches;
  }

  it('re-cuts batches to the size, the last one shorter', async () => {
    expect(await collect(rebatch(pages([1, 2], [], [3, 4, 5, 6, 7]), 3, Infinity))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('stops at the limit without reading further', async () => {
    async function* failingAfterFive(): AsyncIterable<number[]> {
      yield [1, 2, 3, 4, 5, 6];
      throw new Error('read too far');
    }
    expect(await collect(rebatch(failingAfterFive(), 3, 5))).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(await collect(rebatch(pages([1], [2]), 3, 5))).toEqual([[1, 2]]);
  });
});
