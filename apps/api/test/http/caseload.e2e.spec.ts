import { addDays } from '@wih/domain';
import { daysAgo, referral, today } from './fixtures';
import { expectProblem, TestApi, token, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { CASELOAD_ITEM_FIELDS, read } from './read-side';

type State = 'referred' | 'rejected' | 'active' | 'closed';
/** name, caseworker, state, received / approved / last visit (days ago), visit interval, planned end (days after approval) */
type Row = [string, string, State, number, number?, number?, number?, number?];
const ROWS: Row[] = [
  ['Familie MÜLLER', 'carla', 'active', 60, 50, 14, undefined, 300],
  ['Müller, Erika', 'carla', 'active', 45, 40, 28, 10, 200],
  ['Familie Muller', 'carla', 'active', 35, 30, 7, 7, 200],
  ['Haus Özdemir', 'carla', 'active', 35, 30, 7, 8, 250],
  ['Familie Schmidt', 'carla', 'active', 25, 20, 28, undefined, 340],
  ['Familie Schmitz', 'carla', 'active', 25, 20, 28, undefined, 340],
  ['Familie Weber', 'carla', 'active', 70, 60, 90, undefined, 365],
  ['Familie Becker', 'carla', 'closed', 70, 60, 28, undefined, 365],
  ['Familie Hoffmann', 'carla', 'closed', 65, 55, 28, undefined, 300],
  ['Familie Wagner', 'carla', 'active', 55, 50, 14, undefined, 300],
  ['Familie Schulz', 'carla', 'active', 50, 45, 14, 40, 100],
  ['Familie Koch', 'carla', 'active', 12, 10, 14, undefined, 100],
  ['Familie Richter', 'carla', 'active', 12, 10, 14, undefined, 100],
  ['Familie Klein', 'dirk', 'active', 60, 50, 21, 30, 300],
  ['Familie Wolf', 'dirk', 'active', 40, 35, 14, 2, 200],
  ['Familie Schröder', 'dirk', 'active', 40, 35, 60, undefined, 200],
  ['Familie Neumann', 'dirk', 'active', 30, 28, 14, undefined, 150],
  ['Familie Schwarz', 'dirk', 'active', 30, 5, 14, undefined, 150],
  ['Familie Zimmermann', 'dirk', 'active', 90, 80, 30, 1, 365],
  ['Familie Braun', 'dirk', 'closed', 90, 80, 30, undefined, 365],
  ['Familie Krüger', 'dirk', 'active', 20, 15, 14, 15, 200],
  ['Familie Hartmann', 'carla', 'referred', 5],
  ['Familie Lange', 'dirk', 'referred', 3],
  ['Familie Werner', 'carla', 'referred', 25],
  ['Familie Müllermann', 'dirk', 'rejected', 20],
];

interface Expected {
  caseId: string;
  name: string;
  recordedBy: string;
  worker: string | null;
  status: State;
  receivedOn: string;
  nextVisitDueOn: string | null;
  plannedEndOn: string | null;
  overdue: boolean;
}
type Item = { caseId: string; householdName: string; status: string; overdue: boolean; [field: string]: unknown };
type SortField = 'nextVisitDueOn' | 'receivedOn' | 'plannedEndOn';

const tokens: Record<string, string> = {
  carla: token('carla', ['caseworker']),
  dirk: token('dirk', ['caseworker']),
  emil: token('emil', ['caseworker']),
};
const sortKey = (value: string | null) => value ?? '9999-12-31';
const inOrder = (rows: Expected[], field: SortField) =>
  [...rows].sort((a, b) => sortKey(a[field]).localeCompare(sortKey(b[field])) || a.caseId.localeCompare(b.caseId)).map((r) => r.caseId);

/** GET /api/caseload (API.md "Queries"): filters, sorts, keyset pages and who may ask. */
describe('the caseload over HTTP', () => {
  let api: TestApi;
  const cases: Expected[] = [];
  const named = (name: string) => cases.find((c) => c.name === name) as Expected;

  async function create(row: Row): Promise<Expected> {
    const [name, worker, status, receivedAgo, approvedAgo, interval, visitAgo, planned] = row;
    const post = async (path: string, by: string, body: object) => {
      const answer = await api.post(path, by, body);
      if (answer.status >= 300) throw new Error(`${path}: ${answer.status} ${answer.text}`);
      return answer;
    };
    const {
      body: { caseId },
    } = await post(
      '/api/cases',
      tokens[worker],
      referral({ receivedOn: daysAgo(receivedAgo), household: { name, address: 'Weg 1, Köln' } }),
    );
    const base = {
      caseId,
      name,
      status,
      receivedOn: daysAgo(receivedAgo),
      recordedBy: worker,
      worker: null,
      nextVisitDueOn: null,
      plannedEndOn: null,
      overdue: false,
    };
    if (status === 'rejected')
      await post(`/api/cases/${caseId}/rejection`, users.fachstelle, { rejectedOn: daysAgo(1), reason: 'not_target_group' });
    if (approvedAgo === undefined || interval === undefined || planned === undefined) return base;
    const approvedOn = daysAgo(approvedAgo);
    const plannedEndOn = addDays(approvedOn, planned);
    await post(`/api/cases/${caseId}/approval`, users.fachstelle, {
      approvedOn,
      assignedCaseworkerId: worker,
      visitIntervalDays: interval,
      plannedEndOn,
    });
    if (visitAgo !== undefined)
      await post(`/api/cases/${caseId}/visits`, tokens[worker], { visitedOn: daysAgo(visitAgo), householdMet: true });
    if (status === 'closed') {
      await post(`/api/cases/${caseId}/closure`, tokens[worker], { closedOn: daysAgo(1), reason: 'moved_away', housingAtClose: 'unknown' });
      return { ...base, worker, plannedEndOn };
    }
    const due = addDays(daysAgo(visitAgo ?? approvedAgo), interval);
    return { ...base, worker, plannedEndOn, nextVisitDueOn: due, overdue: today() > due };
  }

  const page = async (query: string, by = users.fachstelle) => read(api, `/api/caseload?${query}`, by);
  const all = async (query: string, by = users.fachstelle) => {
    const answer = await page(`limit=200&${query}`, by);
    expect({ status: answer.status, nextCursor: answer.body.nextCursor }).toEqual({ status: 200, nextCursor: null });
    return answer.body.items as Item[];
  };
  const ids = (items: Item[]) => items.map((i) => i.caseId);
  const names = (items: Item[]) => items.map((i) => i.householdName).sort();
  const where = (test: (c: Expected) => boolean) => cases.filter(test);
  // DOMAIN.md rule 6: a caseworker's cases are those assigned to them and, until decided (or
  // rejected), the referrals they recorded.
  const caseloadOf = (who: string) => (c: Expected) =>
    (c.status === 'referred' || c.status === 'rejected' ? c.recordedBy : c.worker) === who;

  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
    for (const row of ROWS) cases.push(await create(row));
  });
  afterAll(() => api.stop());

  it('answers items of exactly API.md’s shape', async () => {
    const items = await all('');
    expect(items).toHaveLength(ROWS.length);
    for (const item of items) expect(Object.keys(item)).toEqual(CASELOAD_ITEM_FIELDS);
    const muller = named('Familie MÜLLER');
    expect(items.find((i) => i.caseId === muller.caseId)).toEqual({
      caseId: muller.caseId,
      status: 'active',
      householdName: 'Familie MÜLLER',
      assignedCaseworkerId: 'carla',
      receivedOn: daysAgo(60),
      nextVisitDueOn: daysAgo(36),
      plannedEndOn: addDays(daysAgo(50), 300),
      overdue: true,
      nextGoalReviewOn: null,
      goalReviewDue: false,
      restricted: false,
    });
    expect(items.find((i) => i.householdName === 'Familie Lange')).toEqual({
      caseId: named('Familie Lange').caseId,
      status: 'referred',
      householdName: 'Familie Lange',
      assignedCaseworkerId: null,
      receivedOn: daysAgo(3),
      nextVisitDueOn: null,
      plannedEndOn: null,
      overdue: false,
      nextGoalReviewOn: null,
      goalReviewDue: false,
      restricted: false,
    });
    for (const c of cases) {
      expect(items.find((i) => i.caseId === c.caseId)).toMatchObject({
        status: c.status,
        assignedCaseworkerId: c.worker,
        receivedOn: c.receivedOn,
        nextVisitDueOn: c.nextVisitDueOn,
        plannedEndOn: c.plannedEndOn,
        overdue: c.overdue,
      });
    }
  });

  it.each(['nextVisitDueOn', 'receivedOn', 'plannedEndOn'] as const)(
    'sorts by %s, cases without the date last, ties by case id',
    async (sort) => {
      expect(ids(await all(`sort=${sort}`))).toEqual(inOrder(cases, sort));
    },
  );

  it('sorts by nextVisitDueOn by default', async () => {
    expect(ids(await all(''))).toEqual(inOrder(cases, 'nextVisitDueOn'));
  });

  it('filters by caseworker, status and overdue, and combines filters', async () => {
    expect(ids(await all('caseworkerId=dirk'))).toEqual(inOrder(where(caseloadOf('dirk')), 'nextVisitDueOn'));
    for (const status of ['referred', 'rejected', 'active', 'closed'] as const) {
      expect(ids(await all(`status=${status}&sort=receivedOn`))).toEqual(
        inOrder(
          where((c) => c.status === status),
          'receivedOn',
        ),
      );
    }
    const overdue = await all('overdue=true');
    expect(ids(overdue)).toEqual(
      inOrder(
        where((c) => c.overdue),
        'nextVisitDueOn',
      ),
    );
    expect(overdue.length).toBeGreaterThanOrEqual(6);
    const onTime = await all('overdue=false');
    expect(ids(onTime)).toEqual(
      inOrder(
        where((c) => c.status === 'active' && !c.overdue),
        'nextVisitDueOn',
      ),
    );
    expect(onTime.map((i) => i.overdue)).not.toContain(true);
    expect(names(await all('caseworkerId=carla&overdue=true'))).toEqual([
      'Familie MÜLLER',
      'Familie Schulz',
      'Familie Wagner',
      'Haus Özdemir',
    ]);
    expect(ids(await all('caseworkerId=carla&status=closed'))).toEqual(
      inOrder(
        where((c) => c.worker === 'carla' && c.status === 'closed'),
        'nextVisitDueOn',
      ),
    );
  });

  it('finds household names by a case-insensitive substring, umlauts included', async () => {
    const mullers = ['Familie MÜLLER', 'Familie Müllermann', 'Müller, Erika'];
    expect(names(await all('q=müller'))).toEqual(mullers);
    expect(names(await all(`q=${encodeURIComponent('MÜLLER')}`))).toEqual(mullers);
    expect(names(await all(`q=${encodeURIComponent('mu\u0308ller')}`))).toEqual(mullers); // decomposed ü
    expect(names(await all('q=muller'))).toEqual(['Familie Muller']);
    expect(names(await all(`q=${encodeURIComponent('ÖZ')}`))).toEqual(['Haus Özdemir']);
    expect(names(await all('q=ö'))).toEqual(['Familie Schröder', 'Haus Özdemir']);
    expect(names(await all('q=müller&status=active', tokens.carla))).toEqual(['Familie MÜLLER', 'Müller, Erika']);
    for (const q of ['nobody', '.*', '%', '_', '[a-z]']) expect(await all(`q=${encodeURIComponent(q)}`)).toEqual([]); // no patterns
  });

  it.each([
    ['', 'nextVisitDueOn'],
    ['sort=receivedOn', 'receivedOn'],
    ['sort=plannedEndOn', 'plannedEndOn'],
    ['sort=receivedOn&caseworkerId=carla', 'receivedOn'],
  ] as const)('pages with limit=5 (%s): every case once, in order', async (query, sort) => {
    const expected = ids(await all(query));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await page(`${query}&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(5);
      seen.push(...ids(answer.body.items));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 20);
    expect(seen).toEqual(expected);
    expect(seen).toEqual(
      inOrder(
        cases.filter((c) => expected.includes(c.caseId)),
        sort,
      ),
    );
    expect(pages).toBe(Math.ceil(expected.length / 5));
  });

  it('keeps paging stable while cases are created between pages', async () => {
    const emil = (n: number, receivedAgo: number) =>
      create([`Emil ${n}`, 'emil', 'active', receivedAgo, receivedAgo - 1, 14, undefined, 100]);
    const before: Expected[] = [];
    for (let n = 0; n < 12; n++) before.push(await emil(n, 30 + (n % 4) * 5));
    for (const sort of ['receivedOn', 'nextVisitDueOn'] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let n = 100;
      do {
        const answer = await page(`sort=${sort}&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, tokens.emil);
        expect(answer.status).toBe(200);
        seen.push(...ids(answer.body.items));
        cursor = answer.body.nextCursor;
        for (const receivedAgo of [50, 35, 20]) await emil(n++, receivedAgo); // before, at and after the cursor
      } while (cursor !== null && n < 200);
      expect(cursor).toBeNull();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(before.map((c) => c.caseId)));
    }
  });

  it('refuses a cursor of another sort, a forged cursor and limits outside 1–200 (400)', async () => {
    const first = await page('sort=receivedOn&limit=5');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const cursor = encodeURIComponent(first.body.nextCursor);
    for (const query of [`sort=plannedEndOn&cursor=${cursor}`, `cursor=${cursor}`, 'cursor=bm90LWEtY3Vyc29y', 'cursor=%%%']) {
      const answer = await page(query);
      expectProblem(answer, 400, 'validation');
    }
    expect((await page(`sort=receivedOn&limit=5&cursor=${cursor}`)).status).toBe(200);
    for (const query of [
      'limit=0',
      'limit=201',
      'limit=-1',
      'limit=abc',
      'limit=1.5',
      'sort=name',
      'status=open',
      'overdue=yes',
      'unknown=1',
    ]) {
      expectProblem(await page(query), 400, 'validation');
    }
    expect((await page('limit=1')).body.items).toHaveLength(1);
    expect((await page('limit=200')).status).toBe(200);
  });

  it('lets a caseworker read only their own caseload', async () => {
    expectProblem(await page('caseworkerId=dirk', tokens.carla), 403, 'forbidden');
    const own = inOrder(where(caseloadOf('carla')), 'nextVisitDueOn');
    expect(where(caseloadOf('carla')).map((c) => c.status)).toContain('referred');
    expect(ids(await all('', tokens.carla))).toEqual(own);
    expect(ids(await all('caseworkerId=carla', tokens.carla))).toEqual(own);
    expect(ids(await all('sort=receivedOn', tokens.dirk))).toEqual(inOrder(where(caseloadOf('dirk')), 'receivedOn'));
  });
});
