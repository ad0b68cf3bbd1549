import { nextRefreshInMs, REFRESH_PACE } from './live-facts';

describe('nextRefreshInMs (decision 0051)', () => {
  it('keeps the interval while a refresh is cheap against it', () => {
    expect(nextRefreshInMs(1000, 3)).toBe(1000);
    expect(nextRefreshInMs(1000, 1000 / REFRESH_PACE)).toBe(1000);
  });

  it('pauses REFRESH_PACE times as long as an expensive refresh took, bounding its share of a core', () => {
    expect(nextRefreshInMs(1000, 150)).toBe(150 * REFRESH_PACE);
    const took = 400;
    const pause = nextRefreshInMs(1000, took);
    expect(took / (took + pause)).toBeLessThanOrEqual(1 / (1 + REFRESH_PACE));
  });
});
