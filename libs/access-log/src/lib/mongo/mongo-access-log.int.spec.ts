import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { accessLogContract, entry } from '../../testing';
import { ACCESS_LOG_COLLECTION, MongoAccessLog } from './mongo-access-log';

const url = process.env.MONGO_URL;

/** A database of its own per log, dropped afterwards: runs against a shared server leave nothing behind. */
const openLog = async (serverUrl: string) => {
  const client = new MongoClient(serverUrl, { serverSelectionTimeoutMS: 5000 });
  const dbName = `access_log_contract_${randomUUID().slice(0, 8)}`;
  const log = new MongoAccessLog(client, dbName);
  if (!(await log.ping())) throw new Error(`MongoDB at ${serverUrl} does not answer`);
  const cleanup = async (): Promise<void> => {
    await log.close();
    await client.db(dbName).dropDatabase();
    await client.close();
  };
  return { log, client, dbName, cleanup };
};

if (url) {
  accessLogContract(`MongoDB (${url})`, () => openLog(url));

  describe('MongoAccessLog', () => {
    it('opens a database that an earlier process set up, again and again', async () => {
      const opened = await openLog(url);
      try {
        const first = entry();
        await opened.log.append([first]);
        // Later processes find the indexes there (each store asks once, so new stores stand for new processes).
        for (let i = 0; i < 2; i++) {
          const again = new MongoAccessLog(opened.client, opened.dbName);
          await again.append([entry()]);
          expect((await again.find({ limit: 10 })).length).toBe(i + 2);
        }
        const indexes = await opened.client.db(opened.dbName).collection(ACCESS_LOG_COLLECTION).listIndexes().toArray();
        expect(indexes.length).toBe(new Set(indexes.map((index) => JSON.stringify(index['key']))).size);
      } finally {
        await opened.cleanup();
      }
    });

    it('stores entries with the id as _id and the time as a date', async () => {
      const opened = await openLog(url);
      try {
        const stored = entry();
        await opened.log.append([stored]);
        const raw = await opened.client
          .db(opened.dbName)
          .collection(ACCESS_LOG_COLLECTION)
          .findOne({ _id: stored.id as never });
        expect(raw).toEqual({
          _id: stored.id,
          at: new Date(stored.at),
          userId: stored.userId,
          role: stored.role,
          caseId: stored.caseId,
          action: stored.action,
        });
      } finally {
        await opened.cleanup();
      }
    });
  });
} else {
  // test/server-suites-notice.js says once for all suites that they were skipped and how to run them.
  describe.skip('AccessLog contract: MongoDB (needs MONGO_URL)', () => {
    it('runs against a server', () => undefined);
  });
}
