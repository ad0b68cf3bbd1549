import { addDays, daysBetween } from '@wih/domain';
import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { daysAgo, referral, today } from './fixtures';
import { caseEvents, expectProblem, TestApi, token, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { headOf, read } from './read-side';

type Item = {
  kind: string;
  caseId: string;
  householdName: string | null;
  restricted: boolean;
  assignedCaseworkerId: string | null;
  dueOn: string;
  days: number;
};

const carla = token('carla', ['caseworker']);
const dirk = token('dirk', ['caseworker']);
const tokens: Record<string, string> = { carla, dirk };

/**
 * The agenda's ranges reach the read store as filters (`lte` on dates among them): the suite runs on
 * the embedded store and, with MONGO_URL (tools/test-servers/with-mongo.sh), on MongoDB too, each
 * in databases of its own that are dropped afterwards.
 */
const withDatabase = (server: string, db: string): string => server.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?[^?]*/, `$1/${db}`);
const mongoDatabases = (suffix: string) => ({
  reads: `agenda_reads_${suffix}`,
  keys: `agenda_keys_${suffix}`,
  log: `agenda_log_${suffix}`,
});
const READ_STORES: [string, Record<string, string>][] = [['sqlite', {}]];
const mongoUrl = process.env.MONGO_URL;
const dbs = mongoDatabases(randomUUID().slice(0, 8));
if (mongoUrl) {
  READ_STORES.push([
    'mongodb',
    {
      READ_STORE: 'mongodb',
      KEY_STORE: 'mongodb',
      MONGO_URL: withDatabase(mongoUrl, dbs.reads),
      MONGO_KEYS_URL: withDatabase(mongoUrl, dbs.keys),
      MONGO_ACCESS_LOG_URL: withDatabase(mongoUrl, dbs.log),
    },
  ]);
}

/**
 * `GET /api/agenda` (API.md "Queries", decision 0028): the dates are relative to the real today
 * (the API has no clock of its own to fix); the days are checked against the answer's `today`.
 */
describe.each(READ_STORES)('the agenda over HTTP (%s read store)', (store, env) => {
  let api: TestApi;
  const ids: Record<string, string> = {};

  const post = async (path: string, by: string, body: object) => {
    const answer = await api.post(path, by, body);
    if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${answer.text}`);
    return answer;
  };
  /** A referral recorded by `worker`, received `receivedAgo` days ago. */
  const refer = async (name: string, worker: string, receivedAgo: number) => {
    const answer = await post(
      '/api/cases',
      tokens[worker],
      referral({ receivedOn: daysAgo(receivedAgo), household: { name, address: 'Weg 1, Köln' } }),
    );
    ids[name] = answer.body.caseId;
    return ids[name];
  };
  /** Approved `approvedAgo` days ago for `worker`, visits every `interval` days, planned end `endIn` days from today. */
  const approve = async (name: string, worker: string, approvedAgo: number, interval: number, endIn: number) => {
    const caseId = await refer(name, worker, approvedAgo + 5);
    await post(`/api/cases/${caseId}/approval`, users.fachstelle, {
      approvedOn: daysAgo(approvedAgo),
      assignedCaseworkerId: worker,
      visitIntervalDays: interval,
      plannedEndOn: addDays(today(), endIn),
    });
    return caseId;
  };

  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start(undefined, env));
    await approve('Familie Alt', 'carla', 50, 14, 200); // visit due 36 days ago
    await approve('Familie Gestern', 'carla', 15, 14, 200); // visit due yesterday
    await approve('Familie Heute', 'carla', 14, 14, 200); // visit due today: not overdue
    await approve('Familie Ende Heute', 'carla', 20, 28, 0); // planned end today
    await approve('Familie Ende 30', 'carla', 20, 28, 30);
    await approve('Familie Ende 31', 'carla', 20, 28, 31);
    await approve('Familie Überzogen', 'carla', 60, 90, -1); // planned end yesterday
    await approve('Familie Doppelt', 'carla', 100, 30, -10); // overdue and overrun
    await approve('Familie Dirk', 'dirk', 40, 14, 10); // overdue, ending: dirk's
    await refer('Familie Wartet', 'carla', 12);
    await refer('Familie Wartet Länger', 'dirk', 30);
    const closed = await approve('Familie Geschlossen', 'carla', 80, 7, -20);
    await post(`/api/cases/${closed}/closure`, carla, { closedOn: daysAgo(1), reason: 'moved_away', housingAtClose: 'unknown' });
    const rejected = await refer('Familie Abgelehnt', 'carla', 40);
    await post(`/api/cases/${rejected}/rejection`, users.fachstelle, { rejectedOn: daysAgo(30), reason: 'other' });
  });
  afterAll(async () => {
    await api.stop();
    if (store !== 'mongodb' || !mongoUrl) return;
    const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5000 });
    for (const db of Object.values(dbs)) await client.db(db).dropDatabase();
    await client.close();
  });

  const agenda = (by: string, query = '') => read(api, `/api/agenda${query}`, by);
  const listed = (items: Item[]) => items.map((item) => `${item.kind} ${nameOf(item.caseId)}`);
  const nameOf = (caseId: string) => Object.keys(ids).find((name) => ids[name] === caseId);

  it('gives a caseworker their own cases, in the fixed order of kinds, the most urgent first', async () => {
    const answer = await agenda(carla);
    expect(answer.status).toBe(200);
    expect(listed(answer.body.items)).toEqual([
      'visit-overdue Familie Doppelt',
      'visit-overdue Familie Alt',
      'visit-overdue Familie Gestern',
      'help-period-overrun Familie Doppelt',
      'help-period-overrun Familie Überzogen',
      'help-period-ending Familie Ende Heute',
      'help-period-ending Familie Ende 30',
    ]);
    expect(answer.body.more).toEqual({ 'visit-overdue': 0, 'goal-review-due': 0, 'help-period-overrun': 0, 'help-period-ending': 0 });
  });

  it('dates each item and counts its days against the answer’s today', async () => {
    const { body } = await agenda(carla);
    const day = body.today as string;
    expect(day).toBe(today());
    const item = (kind: string, name: string) => (body.items as Item[]).find((i) => i.kind === kind && i.caseId === ids[name]);
    expect(item('visit-overdue', 'Familie Alt')).toEqual({
      kind: 'visit-overdue',
      caseId: ids['Familie Alt'],
      householdName: 'Familie Alt',
      restricted: false,
      assignedCaseworkerId: 'carla',
      dueOn: daysAgo(36),
      days: daysBetween(daysAgo(36), day),
    });
    expect(item('visit-overdue', 'Familie Gestern')).toMatchObject({ dueOn: daysAgo(1), days: 1 });
    expect(item('help-period-overrun', 'Familie Überzogen')).toMatchObject({ dueOn: daysAgo(1), days: 1 });
    expect(item('help-period-ending', 'Familie Ende Heute')).toMatchObject({ dueOn: today(), days: 0 });
    expect(item('help-period-ending', 'Familie Ende 30')).toMatchObject({ dueOn: addDays(today(), 30), days: 30 });
  });

  it('gives another caseworker only theirs, and no referral waiting (not even one they recorded)', async () => {
    const { body } = await agenda(dirk);
    expect(listed(body.items)).toEqual(['visit-overdue Familie Dirk', 'help-period-ending Familie Dirk']);
    expect(body.more).not.toHaveProperty('referral-waiting');
  });

  it('gives the Fachstelle every case and the referrals waiting, longest first, with days waiting', async () => {
    const { body } = await agenda(users.fachstelle);
    expect(listed(body.items)).toEqual([
      'visit-overdue Familie Doppelt',
      'visit-overdue Familie Alt',
      'visit-overdue Familie Dirk',
      'visit-overdue Familie Gestern',
      'help-period-overrun Familie Doppelt',
      'help-period-overrun Familie Überzogen',
      'help-period-ending Familie Ende Heute',
      'help-period-ending Familie Dirk',
      'help-period-ending Familie Ende 30',
      'referral-waiting Familie Wartet Länger',
      'referral-waiting Familie Wartet',
    ]);
    const waiting = (body.items as Item[]).filter((item) => item.kind === 'referral-waiting');
    expect(waiting.map((item) => [item.dueOn, item.days, item.assignedCaseworkerId])).toEqual([
      [daysAgo(30), daysBetween(daysAgo(30), body.today), null],
      [daysAgo(12), daysBetween(daysAgo(12), body.today), null],
    ]);
  });

  it('bounds each kind by `limit` and says how many more there are', async () => {
    const { body } = await agenda(users.fachstelle, '?limit=1');
    expect(listed(body.items)).toEqual([
      'visit-overdue Familie Doppelt',
      'help-period-overrun Familie Doppelt',
      'help-period-ending Familie Ende Heute',
      'referral-waiting Familie Wartet Länger',
    ]);
    expect(body.more).toEqual({
      'visit-overdue': 3,
      'goal-review-due': 0,
      'help-period-overrun': 1,
      'help-period-ending': 2,
      'referral-waiting': 1,
    });
  });

  it.each(['0', '201', 'x', '-1'])('refuses limit=%p (400 validation)', async (bad) => {
    const answer = await api.request('GET', `/api/agenda?limit=${bad}`, { token: carla });
    expectProblem(answer, 400, 'validation');
    expect(answer.body.errors).toEqual([{ field: 'limit', message: expect.any(String) }]);
  });

  it('refuses evaluators and admins (403) and callers without a token (401)', async () => {
    expectProblem(await api.request('GET', '/api/agenda', { token: users.evaluator }), 403, 'forbidden');
    expectProblem(await api.request('GET', '/api/agenda', { token: users.admin }), 403, 'forbidden');
    expect((await api.request('GET', '/api/agenda')).status).toBe(401);
  });

  it('records one caseload entry per listed case whose household name it shows', async () => {
    const before = await api.request('GET', '/api/admin/access-log?userId=dirk', { token: users.admin });
    await agenda(dirk);
    const after = await api.request('GET', '/api/admin/access-log?userId=dirk', { token: users.admin });
    const added = after.body.items.slice(before.body.items.length);
    expect(added.map((e: { caseId: string; action: string; role: string }) => [e.caseId, e.action, e.role])).toEqual([
      [ids['Familie Dirk'], 'caseload', 'caseworker'],
    ]);
  });

  it('waits for minPosition: a read issued before a write answers with it', async () => {
    const caseId = await refer('Familie Neu', 'dirk', 35);
    // The approval is the only write after this head: a read waiting for head + 1 waits for it.
    const next = (BigInt(await headOf(api)) + 1n).toString();
    const waiting = api.request('GET', `/api/agenda?minPosition=${next}`, { token: dirk });
    const approved = await post(`/api/cases/${caseId}/approval`, users.fachstelle, {
      approvedOn: daysAgo(30),
      assignedCaseworkerId: 'dirk',
      visitIntervalDays: 14,
      plannedEndOn: addDays(today(), 100),
    });
    expect(BigInt(approved.body.position)).toBeGreaterThanOrEqual(BigInt(next));
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body.items).toContainEqual(expect.objectContaining({ kind: 'visit-overdue', caseId }));
    // Moved to carla: it leaves dirk's agenda and enters hers.
    await post(`/api/cases/${caseId}/reassignment`, users.fachstelle, { caseworkerId: 'carla' });
    expect((await agenda(dirk)).body.items.map((item: Item) => item.caseId)).not.toContain(caseId);
    expect((await agenda(carla)).body.items.map((item: Item) => item.caseId)).toContain(caseId);
  });

  it('shows an erased household without its name, and logs no read of it', async () => {
    const caseId = await refer('Familie Gelöscht', 'carla', 3);
    const [received] = await caseEvents(api, caseId);
    const { householdId } = received.data as { householdId: string };
    expect((await api.request('DELETE', `/api/households/${householdId}/personal-data`, { token: users.admin })).status).toBe(204);
    // The erasure ends on the household stream, which no projection reads: wait for the case streams' head.
    const caseHead = (await api.store.headPosition('case')).toString();
    const answer = await api.request('GET', `/api/agenda?minPosition=${caseHead}`, { token: users.fachstelle });
    expect(answer.status).toBe(200);
    expect((answer.body.items as Item[]).filter((item) => item.caseId === caseId)).toEqual([
      { kind: 'referral-waiting', caseId, householdName: null, restricted: false, assignedCaseworkerId: null, dueOn: daysAgo(3), days: 3 },
    ]);
    const log = await api.request('GET', `/api/admin/access-log?caseId=${caseId}`, { token: users.admin });
    expect(log.body.items.filter((e: { action: string }) => e.action === 'caseload')).toEqual([]);
  });

  it('answers 503 projection-lagging when minPosition is not reached', async () => {
    const beyond = (BigInt(await headOf(api)) + 1000n).toString();
    expectProblem(await api.request('GET', `/api/agenda?minPosition=${beyond}`, { token: carla }), 503, 'projection-lagging');
  }, 15_000);

  it("withholds a restricted household's name from its caseworker, marked restricted; the Fachstelle sees it", async () => {
    const caseId = await approve('Familie Eingeschränkt', 'dirk', 40, 14, 10);
    const [received] = await caseEvents(api, caseId);
    const { householdId } = received.data as { householdId: string };
    await post(`/api/households/${householdId}/restriction`, users.fachstelle, { restrictedOn: today(), reason: 'accuracy_contested' });
    const mine = (await agenda(dirk)).body.items.filter((item: Item) => item.caseId === caseId);
    expect(mine.map((item: Item) => item.kind)).toEqual(['visit-overdue', 'help-period-ending']);
    for (const item of mine) expect(item).toMatchObject({ householdName: null, restricted: true });
    const everyCase = (await agenda(users.fachstelle)).body.items.filter((item: Item) => item.caseId === caseId);
    for (const item of everyCase) expect(item).toMatchObject({ householdName: 'Familie Eingeschränkt', restricted: true });
  });
});
