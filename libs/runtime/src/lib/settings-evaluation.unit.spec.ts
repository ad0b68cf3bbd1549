import { loadSettings, parseRateLimit, SettingsError } from './settings';

describe('loadSettings: evaluation threads and rate limits', () => {
  it('defaults to one evaluation at a time with four waiting, a refresh a second, 600 requests a minute and 10 evaluations a minute per user', () => {
    const settings = loadSettings({});
    expect(settings.evaluation).toEqual({ threads: 1, queue: 4, refreshMs: 1000 });
    expect(settings.rateLimits).toEqual({ api: { limit: 600, windowMs: 60_000 }, evaluation: { limit: 10, windowMs: 60_000 } });
  });

  it('takes the variables, and off turns a limit off', () => {
    const settings = loadSettings({
      EVALUATION_THREADS: '2',
      EVALUATION_QUEUE: '0',
      EVALUATION_REFRESH_MS: '250',
      RATE_LIMIT: 'off',
      RATE_LIMIT_EVALUATION: '3/1h',
    });
    expect(settings.evaluation).toEqual({ threads: 2, queue: 0, refreshMs: 250 });
    expect(settings.rateLimits).toEqual({ api: undefined, evaluation: { limit: 3, windowMs: 3_600_000 } });
  });

  it.each([
    ['EVALUATION_THREADS', '0'],
    ['EVALUATION_THREADS', 'two'],
    ['EVALUATION_QUEUE', '-1'],
    ['EVALUATION_QUEUE', '1.5'],
    ['EVALUATION_REFRESH_MS', '10'],
    ['RATE_LIMIT', '600'],
    ['RATE_LIMIT', '0/60s'],
    ['RATE_LIMIT', '10/0s'],
    ['RATE_LIMIT_EVALUATION', '10/1d'],
    ['RATE_LIMIT_EVALUATION', ''],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadSettings({ [name]: value })).toThrow(SettingsError);
    expect(() => loadSettings({ [name]: value })).toThrow(new RegExp(`^${name} must be`));
  });

  it('reads windows in seconds, minutes and hours', () => {
    expect([parseRateLimit('X', '5/30s'), parseRateLimit('X', '5/2m'), parseRateLimit('X', ' 5/1h ')].map((l) => l?.windowMs)).toEqual([
      30_000, 120_000, 3_600_000,
    ]);
  });
});
