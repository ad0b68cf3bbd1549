import { groupStats } from './group-commit';

describe('groupStats', () => {
  it('counts the appends per commit and the time inside the commits', () => {
    const stats = groupStats([
      { count: 1, durationMs: 0.5 },
      { count: 30, durationMs: 2 },
      { count: 32, durationMs: 3 },
      { count: 17, durationMs: 1.5 },
    ]);
    expect(stats).toEqual({
      commits: 4,
      appends: 80,
      size: { mean: 20, p50: 17, p90: 32, max: 32 },
      commitMs: { total: 7, p50: 1.5, p99: 3 },
    });
  });

  it('answers zeros for a run without commits', () => {
    expect(groupStats([])).toEqual({
      commits: 0,
      appends: 0,
      size: { mean: 0, p50: 0, p90: 0, max: 0 },
      commitMs: { total: 0, p50: 0, p99: 0 },
    });
  });
});
