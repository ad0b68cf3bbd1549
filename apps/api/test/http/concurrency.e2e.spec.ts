import { randomUUID } from 'node:crypto';
import { approval, daysAgo, referral } from './fixtures';
import { activeCase, caseEvents, createCase, expectNothingWritten, expectProblem, householdEvents, TestApi, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';

/** Optimistic concurrency (If-Match) and concurrent writers (rule 5 across streams, retries on one stream). */
describe('concurrency over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  const visit = (caseId: string, headers: Record<string, string> = {}, visitedOn = daysAgo(1)) =>
    api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn, householdMet: true }, headers);

  /** The ReferralReceived events of every case of a household, read from the log. */
  async function casesOfHousehold(householdId: string): Promise<string[]> {
    const found: string[] = [];
    for await (const batch of api.store.readAll({ category: 'case' })) {
      for (const e of batch) {
        const data = e.data as { householdId?: string; caseId?: string };
        if (e.type === 'ReferralReceived' && data.householdId === householdId) found.push(data.caseId ?? '');
      }
    }
    return found;
  }

  describe('If-Match', () => {
    it('refuses a stale revision with 412 stale-revision and writes nothing; the current one succeeds', async () => {
      const { caseId } = await activeCase(api);
      const first = await visit(caseId, { 'if-match': '"1"' });
      expect(first.status).toBe(200);
      expect(first.headers.get('etag')).toBe('"2"');

      for (const stale of ['"1"', '"0"', '"7"']) {
        const answer = await expectNothingWritten(api, caseId, () => visit(caseId, { 'if-match': stale }));
        expectProblem(answer, 412, 'stale-revision');
      }

      const current = await visit(caseId, { 'if-match': first.headers.get('etag') ?? '' });
      expect(current.status).toBe(200);
      expect(current.body.revision).toBe(3);
      expect(current.headers.get('etag')).toBe(`"${current.body.revision}"`);
      expect((await caseEvents(api, caseId)).at(-1)?.revision).toBe(3);
    });

    it('is checked before the domain rules of a referred case too (approval)', async () => {
      const { caseId } = await createCase(api);
      expectProblem(
        await expectNothingWritten(api, caseId, () =>
          api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval(), { 'if-match': '"1"' }),
        ),
        412,
        'stale-revision',
      );
      const approved = await api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval(), { 'if-match': '"0"' });
      expect([approved.status, approved.headers.get('etag')]).toEqual([200, '"1"']);
    });

    it('lets exactly one of several concurrent writers with the same If-Match win', async () => {
      const { caseId } = await activeCase(api);
      const answers = await Promise.all(Array.from({ length: 5 }, () => visit(caseId, { 'if-match': '"1"' })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 412, 412, 412, 412]);
      expect(answers.filter((a) => a.status === 412).every((a) => a.body.code === 'stale-revision')).toBe(true);
      expect((await caseEvents(api, caseId)).map((e) => e.type)).toEqual(['ReferralReceived', 'ReferralApproved', 'HomeVisitRecorded']);
    });
  });

  describe('concurrent writers without If-Match', () => {
    it('records 20 concurrent visits on one case, each with its own revision, without gaps', async () => {
      const { caseId } = await activeCase(api);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => visit(caseId, {}, daysAgo(1 + (i % 10)))));

      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      const revisions = answers.map((a) => a.body.revision as number).sort((a, b) => a - b);
      expect(revisions).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      expect(answers.every((a) => a.headers.get('etag') === `"${a.body.revision}"`)).toBe(true);
      expect(new Set(answers.map((a) => a.body.position)).size).toBe(20);

      const events = await caseEvents(api, caseId);
      expect(events.filter((e) => e.type === 'HomeVisitRecorded')).toHaveLength(20);
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 22 }, (_, i) => i));
      for (const a of answers) expect(events[a.body.revision].position.toString()).toBe(a.body.position);
    });

    it('approves a referral once when two Fachstelle requests race', async () => {
      const { caseId } = await createCase(api);
      const answers = await Promise.all([1, 2].map(() => api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval())));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expectProblem(answers.find((a) => a.status === 409) ?? answers[0], 409, 'invalid-state');
      expect((await caseEvents(api, caseId)).filter((e) => e.type === 'ReferralApproved')).toHaveLength(1);
    });
  });

  /** The cases a household's stream still holds reserved (reservations less releases). */
  async function reservedFor(householdId: string): Promise<string[]> {
    const reserved: string[] = [];
    for (const e of await householdEvents(api, householdId)) {
      const { caseId } = e.data as { caseId: string };
      if (e.type === 'HouseholdCaseReserved') reserved.push(caseId);
      if (e.type === 'HouseholdReservationReleased') reserved.splice(reserved.indexOf(caseId), 1);
    }
    return reserved;
  }

  describe('one case id sent for two households at the same moment (rule 5: a refused referral leaves nothing behind)', () => {
    it("accepts one, refuses the other with invalid-state, and leaves the loser's household free for its next referral", async () => {
      for (let race = 0; race < 10; race++) {
        const caseId = randomUUID();
        const [a, b] = [randomUUID(), randomUUID()];
        const answers = await Promise.all(
          [a, b].map((householdId) =>
            api.post('/api/cases', users.anna, referral({ caseId, householdId })).then((answer) => ({ householdId, answer })),
          ),
        );
        expect(answers.map((x) => x.answer.status).sort()).toEqual([201, 409]);
        const loser = answers.find((x) => x.answer.status === 409) ?? answers[0];
        const winner = answers.find((x) => x.answer.status === 201) ?? answers[1];
        expectProblem(loser.answer, 409, 'invalid-state');

        expect(await casesOfHousehold(winner.householdId)).toEqual([caseId]);
        expect(await reservedFor(winner.householdId)).toEqual([caseId]);
        expect(await reservedFor(loser.householdId)).toEqual([]);
        const next = await api.post('/api/cases', users.anna, referral({ householdId: loser.householdId }));
        expect(next.status).toBe(201);
        const [received] = await caseEvents(api, next.body.caseId);
        expect(received.data).toMatchObject({ householdId: loser.householdId, previousCaseId: null });
      }
    });
  });

  describe('rule 5 under concurrency: one open case per household', () => {
    it('accepts exactly one of two simultaneous referrals for the same new household', async () => {
      const households = Array.from({ length: 5 }, () => randomUUID());
      const answers = await Promise.all(
        households.flatMap((householdId) =>
          [users.anna, users.ben].map((by) =>
            api.post('/api/cases', by, referral({ householdId })).then((answer) => ({ householdId, answer })),
          ),
        ),
      );

      for (const householdId of households) {
        const pair = answers.filter((a) => a.householdId === householdId).map((a) => a.answer);
        expect(pair.map((a) => a.status).sort()).toEqual([201, 409]);
        const refused = pair.find((a) => a.status === 409) ?? pair[0];
        expectProblem(refused, 409, 'household-has-open-case');
        const accepted = pair.find((a) => a.status === 201)?.body.caseId;

        expect(await casesOfHousehold(householdId)).toEqual([accepted]);
        const reservations = await householdEvents(api, householdId);
        expect(reservations.map((e) => [e.type, (e.data as { caseId: string }).caseId])).toEqual([['HouseholdCaseReserved', accepted]]);
      }
    });
  });
});
