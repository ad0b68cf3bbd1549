import { activeKey } from '@wih/application';
import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { approval, daysAgo, referral } from './fixtures';
import { createCase, TestApi, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { eventually } from './read-side';

/**
 * The whole API on the production read side: READ_STORE=mongodb, KEY_STORE=mongodb, on a real
 * MongoDB-protocol server (CI: FerretDB, see tools/test-servers). Commands, reading one's own
 * writes, a zero-downtime rebuild, an erasure and a restart, as a user drives them over HTTP.
 * Read store, keys and access log each get a database of their own, dropped afterwards.
 */
// Without a server the suite is skipped (test/server-suites-notice.js says so); its body still runs to collect the tests.
const url = process.env.MONGO_URL ?? 'mongodb://no-server/';
const NAME = 'Familie Quellenfeld';
const ADDRESS = 'Mongoweg 9, 50667 Köln';

/** A GET that reads its own writes up to the head of the case streams (an erasure ends with the household stream, which no projection reads). */
const read = async (api: TestApi, path: string, token: string) =>
  api.request('GET', `${path}${path.includes('?') ? '&' : '?'}minPosition=${await api.store.headPosition('case')}`, { token });

/** Also runs for a skipped suite (jest collects its body), so it takes a missing URL. */
const withDatabase = (server: string | undefined, db: string): string =>
  (server ?? '').replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?[^?]*/, `$1/${db}`);

(process.env.MONGO_URL ? describe : describe.skip)('the API on MongoDB (needs MONGO_URL)', () => {
  const suffix = randomUUID().slice(0, 8);
  const dbs = { reads: `stack_reads_${suffix}`, keys: `stack_keys_${suffix}`, log: `stack_log_${suffix}` };
  const env = {
    READ_STORE: 'mongodb',
    KEY_STORE: 'mongodb',
    MONGO_URL: withDatabase(url, dbs.reads),
    MONGO_KEYS_URL: withDatabase(url, dbs.keys),
    MONGO_ACCESS_LOG_URL: withDatabase(url, dbs.log),
  };
  let api: TestApi;
  let client: MongoClient;
  let caseId: string;
  let householdId: string;

  beforeAll(async () => {
    client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
    api = checkAnswersAgainstDocument(await TestApi.start(undefined, env));
  });
  afterAll(async () => {
    await api.stop();
    for (const db of Object.values(dbs)) await client.db(db).dropDatabase();
    await client.close();
  });

  /** Every string of every read-model document, as stored (the documents are JSON text). */
  const storedText = async (): Promise<string> => {
    const db = client.db(dbs.reads);
    const names = (await db.listCollections().toArray()).map((c) => c.name).filter((name) => name.startsWith('doc_'));
    const texts = await Promise.all(names.map(async (name) => JSON.stringify(await db.collection(name).find().toArray())));
    return texts.join('\n');
  };

  it('takes commands and answers reads of its own writes from MongoDB', async () => {
    ({ caseId, householdId } = await createCase(api, { household: { name: NAME, address: ADDRESS }, receivedOn: daysAgo(30) }));
    const approved = await api.post(
      `/api/cases/${caseId}/approval`,
      users.fachstelle,
      approval({ approvedOn: daysAgo(20), assignedCaseworkerId: 'anna' }),
    );
    expect(approved.status).toBe(200);
    const visit = await api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn: daysAgo(5), householdMet: true });
    expect(visit.status).toBe(200);
    // The command's own position: the query waits until the projection applied it.
    const detail = await api.request('GET', `/api/cases/${caseId}?minPosition=${visit.body.position}`, { token: users.anna });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ caseId, status: 'active', household: { name: NAME, address: ADDRESS } });
    const caseload = await read(api, '/api/caseload?q=quellen', users.fachstelle);
    expect(caseload.body.items.map((item: { caseId: string }) => item.caseId)).toEqual([caseId]);
    const timeline = await read(api, `/api/cases/${caseId}/timeline`, users.anna);
    expect(timeline.body.items.map((i: { type: string }) => i.type)).toEqual(['ReferralReceived', 'ReferralApproved', 'HomeVisitRecorded']);
    // Read with personal data: recorded in the access log's own database.
    expect(await client.db(dbs.log).collection('access_log').countDocuments({ caseId })).toBeGreaterThanOrEqual(2);
  });

  it('rebuilds a projection beside the live one and switches queries over', async () => {
    const others = await Promise.all([1, 2, 3].map((i) => createCase(api, { household: { name: `Haushalt ${i}`, address: 'Weg 1' } })));
    const started = await api.request('POST', '/api/admin/projections/cases/rebuild', { token: users.admin });
    expect(started.status).toBe(202);
    const done = await eventually(
      async () => (await api.request('GET', '/api/admin/projections/cases/rebuild', { token: users.admin })).body,
      (status: { status: string }) => status.status !== 'running',
      30_000,
      50,
    );
    expect(done).toMatchObject({ status: 'done', done: 3 + 3 });
    expect(
      (
        await client
          .db(dbs.reads)
          .collection('meta')
          .findOne({ _id: activeKey('cases') as never })
      )?.['value'],
    ).toMatch(/"generation":2/);
    const caseload = await read(api, '/api/caseload?limit=50', users.fachstelle);
    expect(caseload.body.items.map((item: { caseId: string }) => item.caseId).sort()).toEqual(
      [caseId, ...others.map((o) => o.caseId)].sort(),
    );
    expect((await read(api, `/api/cases/${caseId}`, users.fachstelle)).body.household.name).toBe(NAME);
  });

  it('erases a household: its key is destroyed in the key database, the read models forget the name', async () => {
    expect(await storedText()).toContain(NAME);
    const erased = await api.request('DELETE', `/api/households/${householdId}/personal-data`, { token: users.admin });
    expect(erased.status).toBe(204);
    const detail = await eventually(
      () => read(api, `/api/cases/${caseId}`, users.fachstelle),
      (answer) => answer.body?.household?.erased === true,
    );
    expect(detail.body.household).toEqual({ erased: true });
    const key = await client.db(dbs.keys).collection('data_keys').findOne({ householdId });
    expect(key).toMatchObject({ householdId, key: null });
    await eventually(storedText, (text) => !text.includes(NAME) && !text.includes('Mongoweg'));
    const search = await read(api, '/api/caseload?q=quellen', users.fachstelle);
    expect(search.body.items).toEqual([]);
  });

  it('after a restart, reads what it had and takes new commands', async () => {
    await api.stop(false);
    api = checkAnswersAgainstDocument(await TestApi.start(api.dataDir, env));
    expect((await read(api, `/api/cases/${caseId}`, users.fachstelle)).body).toMatchObject({
      caseId,
      status: 'active',
      household: { erased: true },
    });
    const next = await api.post('/api/cases', users.anna, referral({ household: { name: 'Familie Neustart', address: 'Weg 2' } }));
    expect(next.status).toBe(201);
    const after = await api.request('GET', `/api/cases/${next.body.caseId}?minPosition=${next.body.position}`, { token: users.anna });
    expect(after.body.household.name).toBe('Familie Neustart');
    const health = await api.request('GET', '/health');
    expect(health.status).toBe(200);
  });
});
