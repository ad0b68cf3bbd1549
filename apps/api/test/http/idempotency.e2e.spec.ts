import { canonicalJson } from '@wih/application';
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { approval, caseRoutes, daysAgo, referral } from './fixtures';
import { activeCase, caseEvents, createCase, expectNothingWritten, expectProblem, TestApi, users, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';

/** Reverses the key order of an object, nested objects included: the same request, written differently. */
const reordered = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) ? reordered(v as Record<string, unknown>) : v]),
  );

/** What a client sees of an answer: status, body, ETag and Location. */
const seen = (a: Answer) => ({ status: a.status, body: a.body, etag: a.headers.get('etag'), location: a.headers.get('location') });

/** Idempotency-Key (API.md "Commands"): a retry returns the first answer and appends nothing. */
describe('idempotent retries over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  const key = () => `retry-${randomUUID()}`;
  const create = (k: string, body: object, by = users.anna) => api.post('/api/cases', by, body, { 'idempotency-key': k });
  const visit = (caseId: string, k: string, body: object = caseRoutes().visits) =>
    api.post(`/api/cases/${caseId}/visits`, users.anna, body, { 'idempotency-key': k });

  describe('a create without caseId', () => {
    it('answers a retry with the first answer (201, body, ETag, Location) and writes nothing', async () => {
      const k = key();
      const first = await create(k, referral());
      expect(first.status).toBe(201);
      const { caseId } = first.body;
      const retry = await expectNothingWritten(api, caseId, () => create(k, referral()));
      expect(seen(retry)).toEqual(seen(first));
      expect(seen(retry)).toEqual({
        status: 201,
        body: { caseId, revision: 0, position: expect.any(String) },
        etag: '"0"',
        location: `/api/cases/${caseId}`,
      });
      expect(await caseEvents(api, caseId)).toHaveLength(1);
    });

    it('treats the body with its fields in another order as the same request', async () => {
      const k = key();
      const first = await create(k, referral());
      const retry = await expectNothingWritten(api, first.body.caseId, () => create(k, reordered(referral())));
      expect(seen(retry)).toEqual(seen(first));
    });

    it('refuses the same key with another body: 422 idempotency-key-reused, nothing written', async () => {
      const k = key();
      const first = await create(k, referral());
      const answer = await expectNothingWritten(api, first.body.caseId, () => create(k, referral({ adults: 3 })));
      expectProblem(answer, 422, 'idempotency-key-reused');
    });

    it('refuses the same key with the same facts but another name, address or notes: 422, nothing written', async () => {
      const k = key();
      const first = await create(k, referral());
      for (const changed of [
        referral({ household: { name: 'Familie Anders', address: 'Teststraße 1, 50667 Köln' } }),
        referral({ household: { name: 'Familie Testfall', address: 'Andere Straße 2, 50667 Köln' } }),
        referral({ notes: 'eine Notiz' }),
      ]) {
        expectProblem(await expectNothingWritten(api, first.body.caseId, () => create(k, changed)), 422, 'idempotency-key-reused');
      }
    });

    it('answers two simultaneous identical creates (a double submit) alike, writing one case', async () => {
      const k = key();
      const [a, b] = await Promise.all([create(k, referral()), create(k, referral())]);
      expect(seen(a)).toEqual(seen(b));
      expect(a.status).toBe(201);
      expect(await caseEvents(api, a.body.caseId)).toHaveLength(1);
    });

    it('keeps the keys of different users apart', async () => {
      const k = key();
      const anna = await create(k, referral(), users.anna);
      const ben = await create(k, referral({ children: 4 }), users.ben);
      expect([anna.status, ben.status]).toEqual([201, 201]);
      expect(ben.body.caseId).not.toBe(anna.body.caseId);
      expect(seen(await create(k, referral(), users.anna))).toEqual(seen(anna));
      expect(seen(await create(k, referral({ children: 4 }), users.ben))).toEqual(seen(ben));
    });

    it('decides a retry again when the first attempt was refused (nothing was remembered)', async () => {
      const open = await createCase(api);
      const k = key();
      const body = referral({ householdId: open.householdId, receivedOn: daysAgo(3) });
      expectProblem(await expectNothingWritten(api, null, () => create(k, body)), 409, 'household-has-open-case');
      expect((await api.post(`/api/cases/${open.caseId}/rejection`, users.fachstelle, caseRoutes().rejection)).status).toBe(200);

      const retried = await create(k, body);
      expect(retried.status).toBe(201);
      expect((await caseEvents(api, retried.body.caseId)).map((e) => e.type)).toEqual(['ReferralReceived']);
      expect(seen(await expectNothingWritten(api, retried.body.caseId, () => create(k, body)))).toEqual(seen(retried));
    });
  });

  /** 20 rounds of 2–5 identical requests with one key at the same moment: one write, the same answer for all. */
  async function doubleSubmits(send: (round: number, k: string) => Promise<Answer>, status: number): Promise<Answer[][]> {
    const rounds: Answer[][] = [];
    for (let round = 0; round < 20; round++) {
      const k = key();
      const answers = await Promise.all(Array.from({ length: 2 + (round % 4) }, () => send(round, k)));
      expect(answers.map((a) => ({ status: a.status, body: a.body }))).toEqual(answers.map(() => ({ status, body: answers[0].body })));
      expect(answers.map(seen)).toEqual(answers.map(() => seen(answers[0])));
      expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(answers.length - 1);
      rounds.push(answers);
    }
    return rounds;
  }

  describe('many simultaneous identical submissions (double submits)', () => {
    it('of a create without caseId: all answer 201 with the first answer, one case is written', async () => {
      for (const answers of await doubleSubmits((_round, k) => create(k, referral()), 201)) {
        expect(await caseEvents(api, answers[0].body.caseId)).toHaveLength(1);
      }
    });

    it('of a create naming its case and household: the same', async () => {
      const ids = Array.from({ length: 20 }, () => ({ caseId: randomUUID(), householdId: randomUUID() }));
      for (const [round, answers] of (await doubleSubmits((r, k) => create(k, referral(ids[r])), 201)).entries()) {
        expect(answers[0].body.caseId).toBe(ids[round].caseId);
        expect(await caseEvents(api, ids[round].caseId)).toHaveLength(1);
      }
    });

    it('of a visit: all answer 200 with the first answer, one visit per round is written', async () => {
      const { caseId } = await activeCase(api);
      await doubleSubmits((_round, k) => visit(caseId, k), 200);
      expect((await caseEvents(api, caseId)).filter((e) => e.type === 'HomeVisitRecorded')).toHaveLength(20);
    });

    it('of an approval: all answer 200 with the first answer, one approval is written', async () => {
      const referred = await Promise.all(Array.from({ length: 20 }, () => createCase(api)));
      await doubleSubmits(
        (round, k) => api.post(`/api/cases/${referred[round].caseId}/approval`, users.fachstelle, approval(), { 'idempotency-key': k }),
        200,
      );
      for (const { caseId } of referred)
        expect((await caseEvents(api, caseId)).map((e) => e.type)).toEqual(['ReferralReceived', 'ReferralApproved']);
    });
  });

  describe('a command on a case (visit)', () => {
    it('answers a retry with the first answer and writes nothing, even after later writes', async () => {
      const { caseId } = await activeCase(api);
      const k = key();
      const first = await visit(caseId, k);
      expect([first.status, first.headers.get('etag')]).toEqual([200, '"2"']);
      expect(seen(await expectNothingWritten(api, caseId, () => visit(caseId, k)))).toEqual(seen(first));
      expect(seen(await expectNothingWritten(api, caseId, () => visit(caseId, k, reordered(caseRoutes().visits))))).toEqual(seen(first));

      expect((await visit(caseId, key())).status).toBe(200);
      expect(seen(await expectNothingWritten(api, caseId, () => visit(caseId, k)))).toEqual(seen(first));
      expect((await caseEvents(api, caseId)).filter((e) => e.type === 'HomeVisitRecorded')).toHaveLength(2);
    });

    it('replays (not 412) a retry that carries the now stale If-Match of the first attempt', async () => {
      const { caseId } = await activeCase(api);
      const k = key();
      const attempt = () =>
        api.post(`/api/cases/${caseId}/visits`, users.anna, caseRoutes().visits, { 'idempotency-key': k, 'if-match': '"1"' });
      const first = await attempt();
      expect(first.status).toBe(200);
      expect((await visit(caseId, key())).status).toBe(200);
      expect(seen(await expectNothingWritten(api, caseId, attempt))).toEqual(seen(first));
    });

    it('answers two simultaneous identical requests (a double submit) alike, writing one event', async () => {
      const { caseId } = await activeCase(api);
      const k = key();
      const [a, b] = await Promise.all([visit(caseId, k), visit(caseId, k)]);
      expect(seen(a)).toEqual(seen(b));
      expect(a.status).toBe(200);
      expect((await caseEvents(api, caseId)).filter((e) => e.type === 'HomeVisitRecorded')).toHaveLength(1);
    });

    it('refuses the key with other notes: 422', async () => {
      const { caseId } = await activeCase(api);
      const k = key();
      expect((await visit(caseId, k, { ...caseRoutes().visits, notes: 'Besuch am Morgen' })).status).toBe(200);
      expectProblem(
        await expectNothingWritten(api, caseId, () => visit(caseId, k, { ...caseRoutes().visits, notes: 'Besuch am Abend' })),
        422,
        'idempotency-key-reused',
      );
      expectProblem(await expectNothingWritten(api, caseId, () => visit(caseId, k)), 422, 'idempotency-key-reused');
      expect((await visit(caseId, k, { ...caseRoutes().visits, notes: 'Besuch am Morgen' })).status).toBe(200);
    });

    it('refuses the key with another body or on another route of the case: 422', async () => {
      const { caseId } = await activeCase(api);
      const k = key();
      expect((await visit(caseId, k)).status).toBe(200);
      expectProblem(
        await expectNothingWritten(api, caseId, () => visit(caseId, k, { ...caseRoutes().visits, householdMet: false })),
        422,
        'idempotency-key-reused',
      );
      expectProblem(
        await expectNothingWritten(api, caseId, () =>
          api.post(`/api/cases/${caseId}/mediations`, users.anna, caseRoutes().mediations, { 'idempotency-key': k }),
        ),
        422,
        'idempotency-key-reused',
      );
    });

    it('scopes a key to its case: the same key on another case is a new command', async () => {
      const [a, b] = [await activeCase(api), await activeCase(api)];
      const k = key();
      expect((await visit(a.caseId, k)).status).toBe(200);
      expect((await visit(b.caseId, k)).status).toBe(200);
      expect((await caseEvents(api, b.caseId)).map((e) => e.type)).toContain('HomeVisitRecorded');
    });

    it('decides a retry again when the first attempt was refused', async () => {
      const { caseId } = await createCase(api);
      const k = key();
      expectProblem(await expectNothingWritten(api, caseId, () => visit(caseId, k)), 409, 'invalid-state');
      expect((await api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval())).status).toBe(200);
      const retried = await visit(caseId, k);
      expect([retried.status, retried.body.revision]).toEqual([200, 2]);
    });
  });

  it('answers a retry after a restart with the first answer, writing nothing', async () => {
    const first = checkAnswersAgainstDocument(await TestApi.start());
    const k = key();
    const created = await first.post('/api/cases', users.anna, referral(), { 'idempotency-key': k });
    expect(created.status).toBe(201);
    await first.stop(false);

    const second = checkAnswersAgainstDocument(await TestApi.start(first.dataDir));
    try {
      const retry = await expectNothingWritten(second, created.body.caseId, () =>
        second.post('/api/cases', users.anna, referral(), { 'idempotency-key': k }),
      );
      expect(seen(retry)).toEqual(seen(created));
      expect(await caseEvents(second, created.body.caseId)).toHaveLength(1);
      expect(await second.store.headPosition()).toBe(BigInt(created.body.position));
    } finally {
      await second.stop();
    }
  });

  it('after an erasure, lets nobody confirm a guessed name and address from the stored fingerprints; a retry still replays', async () => {
    const keyed = checkAnswersAgainstDocument(await TestApi.start());
    try {
      const k = key();
      const body = referral({
        household: { name: 'Familie Ratewohl', address: 'Vermutungsweg 3, 50667 Köln', phone: '0221 555' },
        notes: 'Erstkontakt',
      });
      const created = await keyed.post('/api/cases', users.anna, body, { 'idempotency-key': k });
      expect(created.status).toBe(201);
      const [received] = await caseEvents(keyed, created.body.caseId);
      const householdId = (received.data as { householdId: string }).householdId;
      expect((await keyed.request('DELETE', `/api/households/${householdId}/personal-data`, { token: users.admin })).status).toBe(204);
      // An intruder with the data files and a guess of the request hashes the guess every way it could have been stored.
      const { household, notes } = body as typeof body & { notes: string };
      const sha256 = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');
      const guesses = [
        sha256({ method: 'POST', path: '/api/cases', body }),
        sha256(body),
        sha256({ household, notes }),
        sha256({ household }),
        sha256(household),
      ];
      const files = readdirSync(keyed.dataDir).filter((file) => statSync(join(keyed.dataDir, file)).isFile());
      const confirmed = files.flatMap((file) => {
        const text = readFileSync(join(keyed.dataDir, file)).toString('latin1');
        return guesses.filter((guess) => text.includes(guess)).map((guess) => `${file}: ${guess}`);
      });
      expect(confirmed).toEqual([]);
      // The retry of the first request is still the same request: its first answer, nothing written.
      const retry = await expectNothingWritten(keyed, created.body.caseId, () =>
        keyed.post('/api/cases', users.anna, body, { 'idempotency-key': k }),
      );
      expect(seen(retry)).toEqual(seen(created));
      expectProblem(
        await keyed.post('/api/cases', users.anna, { ...body, adults: 5 }, { 'idempotency-key': k }),
        422,
        'idempotency-key-reused',
      );
    } finally {
      await keyed.stop();
    }
  });
});
