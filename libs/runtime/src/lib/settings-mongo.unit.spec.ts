import { loadSettings, SettingsError, withDatabase } from './settings';

const MONGO_URL = 'mongodb://mongo:27017/wohnintegrationshilfe?replicaSet=rs0';

describe('MongoDB settings: the keys and the access log in databases of their own', () => {
  it('derives both from MONGO_URL alone, each with its own database, and remembers where the keys were before', () => {
    const settings = loadSettings({ READ_STORE: 'mongodb', KEY_STORE: 'mongodb', MONGO_URL });
    expect(settings).toMatchObject({
      mongoUrl: MONGO_URL,
      mongoKeysUrl: 'mongodb://mongo:27017/wih_keys?replicaSet=rs0',
      mongoKeysFormerDb: 'wohnintegrationshilfe',
      mongoAccessLogUrl: 'mongodb://mongo:27017/wih_access_log?replicaSet=rs0',
    });
  });

  it('takes MONGO_KEYS_URL and MONGO_ACCESS_LOG_URL as given (their own users), with nothing to look for elsewhere', () => {
    const keysUrl = 'mongodb://wih_keys:k@mongo:27017/wih_keys?replicaSet=rs0';
    const logUrl = 'mongodb://wih_access_log:a@mongo:27017/wih_access_log?replicaSet=rs0';
    const settings = loadSettings({
      READ_STORE: 'mongodb',
      KEY_STORE: 'mongodb',
      MONGO_URL,
      MONGO_KEYS_URL: keysUrl,
      MONGO_ACCESS_LOG_URL: logUrl,
    });
    expect(settings).toMatchObject({ mongoKeysUrl: keysUrl, mongoAccessLogUrl: logUrl });
    expect(settings.mongoKeysFormerDb).toBeUndefined();
  });

  it('needs no MONGO_URL for the key store alone when MONGO_KEYS_URL is set', () => {
    const settings = loadSettings({ KEY_STORE: 'mongodb', MONGO_KEYS_URL: 'mongodb://keys.example.org/wih_keys' });
    expect(settings).toMatchObject({ keyStore: 'mongodb', readStore: 'sqlite', mongoKeysUrl: 'mongodb://keys.example.org/wih_keys' });
    expect(settings.mongoAccessLogUrl).toBeUndefined();
  });

  it('keeps the access log off MongoDB while the read store is embedded', () => {
    expect(loadSettings({ MONGO_URL, MONGO_ACCESS_LOG_URL: 'mongodb://x/wih_access_log' }).mongoAccessLogUrl).toBeUndefined();
  });

  it('uses the read store default database as the former key location when MONGO_URL names none', () => {
    expect(loadSettings({ KEY_STORE: 'mongodb', MONGO_URL: 'mongodb://localhost:27017/?directConnection=true' })).toMatchObject({
      mongoKeysUrl: 'mongodb://localhost:27017/wih_keys?directConnection=true',
      mongoKeysFormerDb: 'wohnintegrationshilfe',
    });
  });

  it.each([
    ['no database, no options', 'mongodb://h', 'mongodb://h/wih_keys'],
    [
      'several hosts',
      'mongodb://h1:27017,h2:27017/app?replicaSet=rs0&w=majority',
      'mongodb://h1:27017,h2:27017/wih_keys?replicaSet=rs0&w=majority',
    ],
    ['srv', 'mongodb+srv://cluster.example.net/app', 'mongodb+srv://cluster.example.net/wih_keys'],
    // The driver authenticates against the URL's database unless authSource says otherwise: keep it where it was.
    [
      'credentials of the old database',
      'mongodb://app:p%40ss@h/app?replicaSet=rs0',
      'mongodb://app:p%40ss@h/wih_keys?replicaSet=rs0&authSource=app',
    ],
    [
      'credentials without a database (admin)',
      'mongodb://root:pw@h/?directConnection=true',
      'mongodb://root:pw@h/wih_keys?directConnection=true&authSource=admin',
    ],
    ['credentials with authSource', 'mongodb://app:pw@h/app?authSource=admin', 'mongodb://app:pw@h/wih_keys?authSource=admin'],
  ])('replaces the database of a URL with %s', (_label, url, expected) => {
    expect(withDatabase('MONGO_URL', url, 'wih_keys')).toBe(expected);
  });

  it.each([
    ['KEY_STORE=mongodb without any URL', { KEY_STORE: 'mongodb' }, /KEY_STORE=mongodb needs MONGO_KEYS_URL or MONGO_URL/],
    [
      'a MONGO_URL that is not one',
      { READ_STORE: 'mongodb', MONGO_URL: 'mongo:27017/wih' },
      /MONGO_URL must be a mongodb:\/\/ or mongodb\+srv:\/\/ URL/,
    ],
    ['a MONGO_KEYS_URL that is not one', { KEY_STORE: 'mongodb', MONGO_KEYS_URL: 'http://keys' }, /MONGO_KEYS_URL must be/],
    [
      'a MONGO_ACCESS_LOG_URL that is not one',
      { READ_STORE: 'mongodb', MONGO_URL, MONGO_ACCESS_LOG_URL: 'postgres://x' },
      /MONGO_ACCESS_LOG_URL must be/,
    ],
  ])('refuses %s, saying why', (_label, env, message) => {
    expect(() => loadSettings(env)).toThrow(SettingsError);
    expect(() => loadSettings(env)).toThrow(message);
  });

  it('never repeats a refused URL (it may hold a password)', () => {
    expect(() => loadSettings({ READ_STORE: 'mongodb', MONGO_URL: 'mongo://app:s3cret@h/wih' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });
});
