import { loadSettings, parsePeriodMonths, SettingsError } from './settings';

describe('retention and key store settings', () => {
  it('defaults: 6 years after closing, 1 year after a rejection, keys in the embedded store, the job on', () => {
    expect(loadSettings({})).toMatchObject({
      retention: { afterCloseMonths: 72, afterRejectionMonths: 12 },
      keyStore: 'sqlite',
      runRetention: true,
    });
  });

  it('reads periods in years or months, also as ISO 8601', () => {
    expect(loadSettings({ RETENTION_AFTER_CLOSE: '10y', RETENTION_AFTER_REJECTION: 'P18M' }).retention).toEqual({
      afterCloseMonths: 120,
      afterRejectionMonths: 18,
    });
    expect(parsePeriodMonths('X', '6Y')).toBe(72);
    expect(parsePeriodMonths('X', ' 3m ')).toBe(3);
  });

  it.each(['', '6', 'six years', '0y', '-1y', '1.5y', '6w'])('refuses the period "%s"', (value) => {
    expect(() => loadSettings({ RETENTION_AFTER_CLOSE: value })).toThrow(SettingsError);
  });

  it('KEY_STORE=mongodb needs a MongoDB URL; RUN_RETENTION=false turns the job off', () => {
    expect(() => loadSettings({ KEY_STORE: 'mongodb' })).toThrow(/MONGO_KEYS_URL or MONGO_URL/);
    expect(loadSettings({ KEY_STORE: 'mongodb', MONGO_URL: 'mongodb://db/?replicaSet=rs0' }).keyStore).toBe('mongodb');
    expect(loadSettings({ RUN_RETENTION: 'false' }).runRetention).toBe(false);
  });
});
