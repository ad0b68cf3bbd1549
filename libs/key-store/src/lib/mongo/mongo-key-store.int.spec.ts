import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { keyStoreContract } from '../../testing';
import { KeyStoreRefusedError } from '../errors';
import { KEY_COLLECTION } from './mongo-key-mapping';
import { LocalKeyWrapper } from '../wrapping';
import { MongoKeyStore } from './mongo-key-store';

const wrapper = new LocalKeyWrapper(randomBytes(32));

const url = process.env.MONGO_URL;

/** The server's URL with credentials nobody has (replacing any the URL carries). */
const withWrongCredentials = (serverUrl: string): string =>
  serverUrl.replace(/^(mongodb(?:\+srv)?:\/\/)(?:[^@/]*@)?/, '$1wih-nobody:wrong-password@');

/** A database of its own per run, dropped afterwards. */
const openStore = async (serverUrl: string) => {
  const client = new MongoClient(serverUrl, { serverSelectionTimeoutMS: 5000 });
  const dbName = `key_store_contract_${randomUUID().slice(0, 8)}`;
  const store = new MongoKeyStore(client, dbName, { wrapper });
  if (!(await store.ping())) throw new Error(`MongoDB at ${serverUrl} does not answer`);
  const cleanup = async (): Promise<void> => {
    await client.db(dbName).dropDatabase();
    await client.close();
  };
  return { store, client, dbName, cleanup };
};

if (url) {
  keyStoreContract(`MongoDB (${url})`, () => openStore(url));

  it('MongoKeyStore keeps a unique index on householdId and stores keys as binary', async () => {
    const opened = await openStore(url);
    try {
      await opened.store.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z');
      const raw = opened.client.db(opened.dbName).collection(KEY_COLLECTION);
      const indexes = await raw.listIndexes().toArray();
      expect(indexes).toEqual(expect.arrayContaining([expect.objectContaining({ key: { householdId: 1 }, unique: true })]));
      expect((await raw.findOne({ householdId: 'hh-1' }))?.['key']?.constructor.name).toBe('Binary');
    } finally {
      await opened.cleanup();
    }
  });

  it('MongoKeyStore refuses wrong credentials as an authentication error, not as unavailable', async () => {
    const store = new MongoKeyStore(withWrongCredentials(url), `key_store_contract_${randomUUID().slice(0, 8)}`, { wrapper });
    try {
      const failure = store.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z');
      await expect(failure).rejects.toBeInstanceOf(KeyStoreRefusedError);
      await expect(failure).rejects.toMatchObject({
        reason: 'authentication',
        message: expect.stringMatching(/credentials.*\(AuthenticationFailed, code 18\)/),
      });
      expect(await store.ping()).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('MongoKeyStore refuses to work beside a conflicting index on householdId, naming it', async () => {
    const opened = await openStore(url);
    try {
      // The same index made by hand under the default name: MongoDB refuses a second name for it.
      await opened.client
        .db(opened.dbName)
        .collection(KEY_COLLECTION)
        .createIndex({ householdId: 1 }, { name: 'householdId_1', unique: true });
      const failure = opened.store.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z');
      await expect(failure).rejects.toBeInstanceOf(KeyStoreRefusedError);
      await expect(failure).rejects.toMatchObject({
        reason: 'index-conflict',
        message: expect.stringContaining(`${opened.dbName}.${KEY_COLLECTION}`),
      });
    } finally {
      await opened.cleanup();
    }
  });

  it('MongoKeyStore refuses to start empty while its former database still holds keys (an upgrade without moving them)', async () => {
    const opened = await openStore(url);
    const formerDbName = `${opened.dbName}_former`;
    const former = opened.client.db(formerDbName).collection(KEY_COLLECTION);
    try {
      await former.insertOne({ householdId: 'hh-1', key: null, createdAt: null, destroyedAt: '2026-01-01T00:00:00.000Z' });
      const upgraded = new MongoKeyStore(opened.client, opened.dbName, { formerDbName, wrapper });
      await expect(upgraded.getOrCreate('hh-2', '2026-01-02T00:00:00.000Z')).rejects.toThrow(
        new KeyStoreRefusedError(
          'refused',
          `the keys are still in ${formerDbName}.${KEY_COLLECTION} and ${opened.dbName}.${KEY_COLLECTION} is empty: ` +
            `move them first (docs/operations.md "Upgrading: databases of their own") or set MONGO_KEYS_URL to the database ${formerDbName}`,
        ),
      );
      expect(await opened.client.db(opened.dbName).collection(KEY_COLLECTION).countDocuments()).toBe(0);
      // Once moved, it works.
      await opened.client
        .db(opened.dbName)
        .collection(KEY_COLLECTION)
        .insertMany(await former.find({}, { projection: { _id: 0 } }).toArray());
      await former.drop();
      expect((await upgraded.getOrCreate('hh-2', '2026-01-02T00:00:00.000Z')).key).toHaveLength(32);
      expect(await upgraded.get('hh-1')).toMatchObject({ status: 'destroyed' });
    } finally {
      await opened.client.db(formerDbName).dropDatabase();
      await opened.cleanup();
    }
  });
} else {
  // test/server-suites-notice.js says once for all suites that they were skipped and how to run them.
  describe.skip('KeyStore contract: MongoDB (needs MONGO_URL)', () => {
    it('runs against a server', () => undefined);
  });
}
