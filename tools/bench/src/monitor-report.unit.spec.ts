import { attributeTail, durations, type Pause } from './monitor-report';

describe('attributeTail', () => {
  const gc: Pause = { at: 1000, ms: 12, cause: 'gc mark-compact' };
  const block: Pause = { at: 995, ms: 25, cause: 'loop block' };
  const commit: Pause = { at: 2000, ms: 3, cause: 'sqlite commit' };

  it('blames a slow request on the specific pause it overlapped rather than the loop block containing it', () => {
    expect(attributeTail([{ due: 998, ms: 20 }], [block, gc], 10)).toEqual({ 'gc mark-compact': 1 });
  });

  it('falls back to a loop block, then to "no pause seen", and ignores requests within the threshold', () => {
    const requests = [
      { due: 990, ms: 11 },
      { due: 5000, ms: 30 },
      { due: 1001, ms: 9 },
    ];
    expect(attributeTail(requests, [{ ...block, at: 990 }, commit], 10)).toEqual({ 'loop block': 1, 'no pause seen': 1 });
  });

  it('picks the pause with the largest overlap', () => {
    const short: Pause = { at: 1990, ms: 12, cause: 'gc scavenge' };
    expect(attributeTail([{ due: 1999, ms: 15 }], [short, { ...commit, ms: 8 }], 10)).toEqual({ 'sqlite commit': 1 });
  });
});

describe('durations', () => {
  it('gives nearest-rank percentiles, the total and how many took 5 ms or more', () => {
    const d = durations([1, 9, 2, 5, 3]);
    expect(d).toEqual({ count: 5, totalMs: 20, p50: 3, p99: 9, max: 9, atLeast5ms: 2 });
  });
});
