import { collectionOf, metaPrefix, park, parkedEventIdOf, readActive } from '@wih/application';
import type { ReadAllOptions, RecordedEvent } from '@wih/event-store';
import type { ReadStore } from '@wih/read-store';
import { READ_STORE } from '../../src/store/read-store.provider';
import { ProjectionsService } from '../../src/projections/projections.service';
import { daysAgo } from './fixtures';
import { activeCase, expectProblem, TestApi, users, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { eventually, read } from './read-side';

interface Status {
  name: string;
  status: string;
  generation: number;
  checkpoint: string | null;
  head: string;
  lag: string | null;
  parked: number;
  lastError: string | null;
}

/**
 * Slows the projections' catch-up reads (a rebuild reads the whole log through them) to one event
 * per `ms`, so a rebuild runs long enough to be watched and cancelled. Live runners read through
 * `subscribe` and are not slowed.
 */
function throttleCatchUp(api: TestApi, ms: number): () => void {
  const store = api.store;
  const original = store.readAll.bind(store);
  const spy = jest.spyOn(store, 'readAll').mockImplementation((options?: ReadAllOptions) =>
    (async function* () {
      for await (const batch of original(options)) {
        for (const event of batch) {
          await new Promise((resolve) => setTimeout(resolve, ms));
          yield [event] as RecordedEvent[];
        }
      }
    })(),
  );
  return () => spy.mockRestore();
}

/** API.md "Operations": projection status, zero-downtime rebuilds, parked events (admin only). */
describe('projection operations over HTTP', () => {
  let api: TestApi;
  let caseIds: string[];
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
    caseIds = [];
    for (let i = 0; i < 20; i++) {
      const { caseId } = await activeCase(api, { household: { name: `Familie Admin ${i}`, address: 'Weg 1, Köln' } });
      await api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn: daysAgo(i + 1), householdMet: i % 2 === 0 });
      caseIds.push(caseId);
    }
    const activity = { on: daysAgo(1), kind: 'networking', partnerKinds: [], district: 'kalk', hours: 1, participants: 5 };
    expect((await api.post('/api/activities', users.anna, activity)).status).toBe(201);
  });
  afterAll(() => api.stop());

  const admin = (method: string, path = '', by: string | null = users.admin) =>
    api.request(method, `/api/admin/projections${path}`, { token: by ?? undefined });
  const statuses = async () => (await admin('GET')).body as Status[];
  const statusOf = async (name: string) => (await statuses()).find((s) => s.name === name) as Status;
  const caughtUp = (s: Status[]) => s.every((p) => p.checkpoint === p.head && p.lag === '0');
  const rebuildStatus = async (name: string) => (await admin('GET', `/${name}/rebuild`)).body;
  const detailOf = (caseId: string) => read(api, `/api/cases/${caseId}`, users.fachstelle);
  const seen = (a: Answer) => ({ status: a.status, etag: a.headers.get('etag'), body: a.body });

  it('is for admins only (403 for the other roles, 401 without a token)', async () => {
    const routes: [string, string][] = [
      ['GET', ''],
      ['POST', '/cases/rebuild'],
      ['GET', '/cases/rebuild'],
      ['DELETE', '/cases/rebuild'],
      ['GET', '/cases/parked'],
    ];
    for (const [method, path] of routes) {
      for (const by of [users.anna, users.fachstelle, users.evaluator]) expectProblem(await admin(method, path, by), 403, 'forbidden');
      expectProblem(await admin(method, path, null), 401, 'unauthorized');
    }
    expect((await rebuildStatus('cases')).code).toBe('not-found'); // and no rebuild was started by those requests
  });

  it('lists every projection with its position; each catches up with the head of its category', async () => {
    const list = await eventually(statuses, caughtUp);
    expect(list.map((s) => s.name).sort()).toEqual(['activities', 'cases', 'timeline']);
    const head = (await api.store.headPosition('case')).toString();
    const categoryHead = async (name: string) => (name === 'activities' ? (await api.store.headPosition('activity')).toString() : head);
    for (const s of list) {
      const own = await categoryHead(s.name);
      expect(s).toEqual({
        name: s.name,
        status: 'running',
        generation: 1,
        checkpoint: own,
        head: own,
        lag: '0',
        parked: 0,
        lastError: null,
      });
    }
    await api.post(`/api/cases/${caseIds[0]}/mediations`, users.anna, { mediatedOn: daysAgo(1), kind: 'landlord' });
    const after = await eventually(statuses, (s) => caughtUp(s) && s[0].head !== head);
    expect(BigInt(after[0].checkpoint as string)).toBeGreaterThan(BigInt(head));
  });

  it('answers 404 for an unknown projection, [] for no parked events', async () => {
    for (const [method, path] of [
      ['POST', '/nope/rebuild'],
      ['GET', '/nope/rebuild'],
      ['DELETE', '/nope/rebuild'],
      ['GET', '/nope/parked'],
    ]) {
      expectProblem(await admin(method, path), 404, 'not-found');
    }
    expectProblem(await admin('GET', '/timeline/rebuild'), 404, 'not-found'); // none started yet
    for (const name of ['cases', 'timeline']) expect((await admin('GET', `/${name}/parked`)).body).toEqual([]);
  });

  it('answers 404 parked-not-found to a retry or skip of a key with no parked events, and records no request', async () => {
    const reads = api.app.get<ReadStore>(READ_STORE);
    const requests = () => reads.listMeta(metaPrefix('parked-request'));
    for (const action of ['retry', 'skip']) {
      for (const key of [caseIds[0], 'no-such-document']) {
        expectProblem(await admin('POST', `/cases/parked/${encodeURIComponent(key)}/${action}`), 404, 'parked-not-found');
      }
      expectProblem(await admin('POST', `/nope/parked/${caseIds[0]}/${action}`), 404, 'not-found');
    }
    expect(await requests()).toEqual([]);
  });

  it('accepts a skip of a parked event (202) and the runner carries it out', async () => {
    const reads = api.app.get<ReadStore>(READ_STORE);
    const collection = collectionOf('cases', ((await readActive(reads, 'cases')) as { generation: number }).generation);
    const [first] = await api.store.readStream(`case-${caseIds[1]}`);
    const parked = {
      projection: collection,
      key: caseIds[1],
      position: first.position.toString(),
      eventId: parkedEventIdOf(caseIds[1], first.revision),
      type: first.type,
      error: 'Error: failed in a test',
      attempts: 3,
      parkedAt: new Date().toISOString(),
    };
    await park(reads, parked);
    expect((await admin('GET', '/cases/parked')).body).toEqual([parked]);
    const skipped = await admin('POST', `/cases/parked/${caseIds[1]}/skip`);
    expect({ status: skipped.status, body: skipped.body }).toEqual({ status: 202, body: { accepted: true } });
    await eventually(
      async () => (await admin('GET', '/cases/parked')).body,
      (list) => list.length === 0,
    );
    expectProblem(await admin('POST', `/cases/parked/${caseIds[1]}/skip`), 404, 'parked-not-found');
  });

  it('rebuilds without downtime: queries keep answering the same, then read the new generation', async () => {
    const before = await Promise.all(caseIds.map(async (id) => seen(await detailOf(id))));
    const generation = (await statusOf('cases')).generation;
    const restore = throttleCatchUp(api, 10);
    try {
      const started = await admin('POST', '/cases/rebuild');
      expect(started.status).toBe(202);
      expect(started.headers.get('location')).toBe('/api/admin/projections/cases/rebuild');
      expect(started.body).toMatchObject({ status: 'running', generation: generation + 1, done: 0, total: expect.any(Number) });

      const again = await admin('POST', '/cases/rebuild');
      expect(again.status).toBe(202);
      expect(again.body).toMatchObject({ status: 'running', generation: generation + 1, startedAt: started.body.startedAt });

      let reads = 0;
      let progress = await rebuildStatus('cases');
      while (progress.status === 'running') {
        const i = reads % caseIds.length;
        expect(seen(await api.request('GET', `/api/cases/${caseIds[i]}`, { token: users.fachstelle }))).toEqual(before[i]);
        expect((await api.request('GET', '/api/caseload?limit=200', { token: users.fachstelle })).body.items).toHaveLength(caseIds.length);
        expect(progress).toEqual(
          expect.objectContaining({
            generation: generation + 1,
            done: expect.any(Number),
            total: expect.any(Number),
            rate: expect.any(Number),
          }),
        );
        reads += 1;
        progress = await rebuildStatus('cases');
      }
      expect(reads).toBeGreaterThanOrEqual(3); // the loop ran while the rebuild was running
      expect(progress).toEqual(
        expect.objectContaining({ status: 'done', generation: generation + 1, error: null, eta: 0, finishedAt: expect.any(String) }),
      );
      expect(progress.done).toBeGreaterThan(0);
      expect(progress.done).toBeLessThanOrEqual(progress.total);
      expect(progress.rate).toBeGreaterThan(0);
    } finally {
      restore();
    }
    expect(await Promise.all(caseIds.map(async (id) => seen(await detailOf(id))))).toEqual(before);
    const list = await eventually(statuses, caughtUp);
    expect(list.find((s) => s.name === 'cases')).toMatchObject({
      generation: generation + 1,
      status: 'running',
      parked: 0,
      lastError: null,
    });
    expect(list.find((s) => s.name === 'timeline')).toMatchObject({ generation: 1 });
    // the new generation is live: it applies new writes
    await api.post(`/api/cases/${caseIds[1]}/visits`, users.anna, { visitedOn: daysAgo(0), householdMet: true });
    expect((await detailOf(caseIds[1])).body).toMatchObject({ lastVisitOn: daysAgo(0), counts: { visits: 2 } });
    // DELETE after the end changes nothing and answers the final status
    expect((await admin('DELETE', '/cases/rebuild')).body).toMatchObject({ status: 'done', generation: generation + 1 });
  });

  it('cancels a running rebuild: the live generation stays', async () => {
    const generation = (await statusOf('cases')).generation;
    const before = seen(await detailOf(caseIds[2]));
    const restore = throttleCatchUp(api, 50);
    try {
      const started = await admin('POST', '/cases/rebuild');
      expect(started.body).toMatchObject({ status: 'running', generation: generation + 1 });
      await eventually(
        () => rebuildStatus('cases'),
        (s) => s.done > 0,
        5_000,
      ); // it is under way
      const cancelled = await admin('DELETE', '/cases/rebuild');
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', generation: generation + 1, finishedAt: expect.any(String) });
      expect(cancelled.body.done).toBeLessThan(cancelled.body.total);
      expect(await rebuildStatus('cases')).toMatchObject({ status: 'cancelled', generation: generation + 1 });
    } finally {
      restore();
    }
    expect((await statusOf('cases')).generation).toBe(generation);
    expect(seen(await detailOf(caseIds[2]))).toEqual(before);
    await api.post(`/api/cases/${caseIds[2]}/mediations`, users.anna, { mediatedOn: daysAgo(0), kind: 'jobcenter' });
    expect((await detailOf(caseIds[2])).body.counts.mediations).toBe(before.body.counts.mediations + 1);
    expect((await statusOf('cases')).generation).toBe(generation);

    // a new rebuild after the cancelled one runs to the end
    const next = await admin('POST', '/cases/rebuild');
    expect(next.body).toMatchObject({ status: 'running', generation: generation + 2 });
    expect(
      await eventually(
        () => rebuildStatus('cases'),
        (s) => s.status !== 'running',
      ),
    ).toMatchObject({ status: 'done' });
    expect(
      await eventually(
        () => statusOf('cases'),
        (s) => s.generation === generation + 2,
      ),
    ).toMatchObject({ generation: generation + 2 });
    expect((await detailOf(caseIds[2])).body.counts.mediations).toBe(before.body.counts.mediations + 1);
  });

  it('rebuilds the timeline too, with the same entries', async () => {
    const before = (await read(api, `/api/cases/${caseIds[3]}/timeline`, users.anna)).body;
    expect(before.items).toHaveLength(3);
    expect((await admin('POST', '/timeline/rebuild')).status).toBe(202);
    expect(
      await eventually(
        () => rebuildStatus('timeline'),
        (s) => s.status !== 'running',
      ),
    ).toMatchObject({ status: 'done', generation: 2 });
    expect((await statusOf('timeline')).generation).toBe(2);
    expect((await read(api, `/api/cases/${caseIds[3]}/timeline`, users.anna)).body).toEqual(before);
  });

  // A runner that already read the whole log must not switch queries over to a cancelled generation.
  it('a cancel racing the switch-over leaves the live read model intact', async () => {
    const before = seen(await detailOf(caseIds[4]));
    const manager = api.app.get(ProjectionsService).get('cases') as unknown as { rebuild: { abort: AbortController } | null };
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const store = api.store;
    const original = store.readAll.bind(store);
    // the rebuild reads the whole log, then waits at its end until the cancel has aborted it
    const spy = jest.spyOn(store, 'readAll').mockImplementation((options?: ReadAllOptions) =>
      (async function* () {
        yield* original(options);
        await gate;
      })(),
    );
    try {
      expect((await admin('POST', '/cases/rebuild')).status).toBe(202);
      const cancelling = admin('DELETE', '/cases/rebuild');
      await eventually(async () => manager.rebuild?.abort.signal.aborted ?? true, Boolean, 5_000, 5);
      release();
      expect(['cancelled', 'done']).toContain((await cancelling).body.status);
    } finally {
      release();
      spy.mockRestore();
    }
    // no minPosition: nothing was written, and a dropped checkpoint would only make it wait 5 s
    expect(seen(await api.request('GET', `/api/cases/${caseIds[4]}`, { token: users.fachstelle }))).toEqual(before);
    expect(await statusOf('cases')).toMatchObject({ status: 'running' });
  });

  // `total` is estimated from the head position while running; once done it is the events read.
  it('reports a finished rebuild as complete: done = total = the case events read', async () => {
    let events = 0;
    for await (const batch of api.store.readAll({ category: 'case' })) events += batch.length;
    expect((await admin('POST', '/timeline/rebuild')).status).toBe(202);
    const final = await eventually(
      () => rebuildStatus('timeline'),
      (s) => s.status !== 'running',
    );
    expect({ status: final.status, done: final.done, total: final.total }).toEqual({ status: 'done', done: events, total: events });
  });
});
