import { randomUUID } from 'node:crypto';
import { daysAgo, inFuture, today } from './fixtures';
import {
  activeCase,
  caseEvents,
  closedCase,
  createCase,
  expectNothingWritten,
  expectProblem,
  TestApi,
  users,
  type Answer,
} from './harness';
import { checkAnswersAgainstDocument } from './contract';

/** The help plan and goal reviews over HTTP (API.md "Commands"; decision 0023). */
describe('help plan and goal reviews over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  const RENT = 'Mietrückstand bei der GAG in Raten abbauen';
  const plan = (overrides: Record<string, unknown> = {}, goals: Record<string, unknown>[] = [{}]) => ({
    agreedOn: daysAgo(20),
    householdParticipated: true,
    goals: goals.map((goal) => ({ area: 'rent_and_debts', actor: 'together', reviewOn: daysAgo(10), wording: RENT, ...goal })),
    ...overrides,
  });
  const review = (goalId: string, overrides: Record<string, unknown> = {}) => ({
    reviewedOn: daysAgo(5),
    goalId,
    status: 'in_progress',
    householdView: 'partly',
    ...overrides,
  });
  const agree = (caseId: string, body: object = plan(), token = users.anna, headers: Record<string, string> = {}) =>
    api.post(`/api/cases/${caseId}/help-plan`, token, body, headers);
  const reviewOf = (caseId: string, body: object, token = users.anna, headers: Record<string, string> = {}) =>
    api.post(`/api/cases/${caseId}/goal-reviews`, token, body, headers);
  const detail = (caseId: string, answer: Answer) =>
    api.request('GET', `/api/cases/${caseId}?minPosition=${answer.body.position}`, { token: users.anna });
  /** The id the server gave the plan's goal `index`. */
  const goalIdOf = async (caseId: string, index = 0): Promise<string> => {
    const planned = (await caseEvents(api, caseId)).filter((e) => e.type === 'HelpPlanAgreed').at(-1);
    return (planned?.data as { goals: { goalId: string }[] }).goals[index].goalId;
  };
  async function refused(
    caseId: string,
    route: 'help-plan' | 'goal-reviews',
    body: object,
    status: number,
    code: string,
    token = users.anna,
  ) {
    const answer = await expectNothingWritten(api, caseId, () => api.post(`/api/cases/${caseId}/${route}`, token, body));
    expectProblem(answer, status, code);
    return answer;
  }

  it('agrees a plan and reviews a goal; the case detail shows the plan and when a review is due', async () => {
    const { caseId } = await activeCase(api);
    const agreed = await agree(
      caseId,
      plan({}, [{}, { area: 'income_and_benefits', actor: 'household', reviewOn: inFuture(), wording: 'Antrag' }]),
    );
    expect(agreed.status).toBe(200);
    expect(agreed.body).toEqual({ caseId, revision: 2, position: expect.stringMatching(/^\d+$/) });
    const rent = await goalIdOf(caseId);
    expect(rent).toMatch(/^[0-9a-f-]{36}$/);

    const before = await detail(caseId, agreed);
    expect(before.body).toMatchObject({
      helpPlan: {
        agreedOn: daysAgo(20),
        householdParticipated: true,
        goals: [
          {
            goalId: rent,
            area: 'rent_and_debts',
            actor: 'together',
            wording: RENT,
            status: 'open',
            householdView: 'not_asked',
            lastReviewedOn: null,
          },
          { area: 'income_and_benefits', actor: 'household', reviewOn: inFuture(), wording: 'Antrag', status: 'open' },
        ],
      },
      nextGoalReviewOn: daysAgo(10),
      goalReviewDue: true,
    });
    const due = await api.request('GET', `/api/caseload?minPosition=${agreed.body.position}`, { token: users.anna });
    expect(due.body.items.find((item: { caseId: string }) => item.caseId === caseId)).toMatchObject({
      nextGoalReviewOn: daysAgo(10),
      goalReviewDue: true,
    });

    const reviewed = await reviewOf(caseId, review(rent, { status: 'achieved', householdView: 'satisfied', notes: 'Ratenplan steht' }));
    expect(reviewed.status).toBe(200);
    const after = await detail(caseId, reviewed);
    expect(after.body.helpPlan.goals[0]).toMatchObject({ status: 'achieved', householdView: 'satisfied', lastReviewedOn: daysAgo(5) });
    expect(after.body).toMatchObject({ nextGoalReviewOn: inFuture(), goalReviewDue: false });

    const timeline = await api.request('GET', `/api/cases/${caseId}/timeline?minPosition=${reviewed.body.position}`, { token: users.anna });
    expect(timeline.body.items.slice(-2)).toMatchObject([
      { type: 'HelpPlanAgreed', data: { goals: [{ goalId: rent, wording: RENT }, { wording: 'Antrag' }] } },
      { type: 'GoalReviewed', data: { goalId: rent, status: 'achieved', notes: 'Ratenplan steht' } },
    ]);
    const caseload = await api.request('GET', `/api/caseload?minPosition=${reviewed.body.position}`, { token: users.anna });
    expect(caseload.body.items.find((item: { caseId: string }) => item.caseId === caseId)).toMatchObject({
      nextGoalReviewOn: inFuture(),
      goalReviewDue: false,
    });
  });

  it('keeps a goal id the client chose (canonical lower case)', async () => {
    const { caseId } = await activeCase(api);
    const goalId = randomUUID();
    expect((await agree(caseId, plan({}, [{ goalId: goalId.toUpperCase() }]))).status).toBe(200);
    expect(await goalIdOf(caseId)).toBe(goalId);
  });

  it('seals the wording: the stored event holds no plaintext of it', async () => {
    const { caseId } = await activeCase(api);
    await agree(caseId);
    const stored = (await caseEvents(api, caseId)).at(-1);
    expect(stored?.type).toBe('HelpPlanAgreed');
    expect(JSON.stringify(stored?.data)).not.toContain('GAG');
  });

  describe('roles and caseload', () => {
    it.each([
      ['the Fachstelle', users.fachstelle, 403, 'forbidden'],
      ['an evaluator', users.evaluator, 403, 'forbidden'],
      ['an admin', users.admin, 403, 'forbidden'],
      ["another caseworker (someone else's case is unknown to them)", users.ben, 404, 'case-not-found'],
    ])('refuses %s on both routes', async (_who, token, status, code) => {
      const { caseId } = await activeCase(api);
      await refused(caseId, 'help-plan', plan(), status, code, token);
      expect((await agree(caseId)).status).toBe(200);
      await refused(caseId, 'goal-reviews', review(await goalIdOf(caseId)), status, code, token);
    });
  });

  describe('refusals with their codes, writing nothing', () => {
    it('a plan on a referred or closed case: invalid-state naming the state', async () => {
      const referred = await createCase(api);
      expect((await refused(referred.caseId, 'help-plan', plan(), 409, 'invalid-state')).body.detail).toMatch(/\breferred\b/);
      const closed = await closedCase(api);
      expect((await refused(closed.caseId, 'help-plan', plan({ agreedOn: daysAgo(2) }), 409, 'invalid-state')).body.detail).toMatch(
        /\bclosed\b/,
      );
    });

    it('dates: in the future, before the approval, a review date before the agreement', async () => {
      const { caseId } = await activeCase(api);
      await refused(caseId, 'help-plan', plan({ agreedOn: inFuture() }), 409, 'date-in-future');
      await refused(caseId, 'help-plan', plan({ agreedOn: daysAgo(51) }), 409, 'date-before-approval');
      await refused(caseId, 'help-plan', plan({}, [{ reviewOn: daysAgo(21) }]), 409, 'review-before-agreement');
    });

    it('goal ids: twice in one plan', async () => {
      const { caseId } = await activeCase(api);
      const goalId = randomUUID();
      await refused(caseId, 'help-plan', plan({}, [{ goalId }, { goalId }]), 409, 'duplicate-goal-id');
    });

    it('reviews: no plan, an unknown goal, before the plan, a settled goal, and a settled id agreed again', async () => {
      const { caseId } = await activeCase(api);
      await refused(caseId, 'goal-reviews', review(randomUUID()), 409, 'no-help-plan');
      expect((await agree(caseId)).status).toBe(200);
      const goalId = await goalIdOf(caseId);
      await refused(caseId, 'goal-reviews', review(randomUUID()), 409, 'unknown-goal');
      await refused(caseId, 'goal-reviews', review(goalId, { reviewedOn: daysAgo(21) }), 409, 'date-before-help-plan');
      expect((await reviewOf(caseId, review(goalId, { status: 'dropped' }))).status).toBe(200);
      await refused(caseId, 'goal-reviews', review(goalId, { reviewedOn: daysAgo(1) }), 409, 'goal-settled');
      await refused(caseId, 'help-plan', plan({ agreedOn: daysAgo(1) }, [{ goalId, reviewOn: today() }]), 409, 'goal-settled');
    });

    it('a new plan replaces the open goals: a review of a replaced goal is unknown-goal', async () => {
      const { caseId } = await activeCase(api);
      await agree(caseId);
      const old = await goalIdOf(caseId);
      expect((await agree(caseId, plan({ agreedOn: daysAgo(15) }, [{ area: 'housing', reviewOn: daysAgo(3) }]))).status).toBe(200);
      await refused(caseId, 'goal-reviews', review(old), 409, 'unknown-goal');
      await refused(caseId, 'help-plan', plan({ agreedOn: daysAgo(16) }), 409, 'date-before-help-plan');
    });

    it('a closing before a goal review: date-before-last-activity', async () => {
      const { caseId } = await activeCase(api);
      await agree(caseId);
      expect((await reviewOf(caseId, review(await goalIdOf(caseId), { reviewedOn: daysAgo(2) }))).status).toBe(200);
      const closing = { closedOn: daysAgo(3), reason: 'moved_away', housingAtClose: 'unknown' };
      const answer = await expectNothingWritten(api, caseId, () => api.post(`/api/cases/${caseId}/closure`, users.anna, closing));
      expectProblem(answer, 409, 'date-before-last-activity');
    });

    it.each<[string, object]>([
      ['no goals', plan({ goals: [] })],
      [
        '21 goals',
        plan(
          {},
          Array.from({ length: 21 }, () => ({})),
        ),
      ],
      ['an empty wording', plan({}, [{ wording: '' }])],
      ['a wording over 500 characters', plan({}, [{ wording: 'x'.repeat(501) }])],
      ['an unknown area', plan({}, [{ area: 'leisure' }])],
      ['an unknown actor', plan({}, [{ actor: 'landlord' }])],
      ['a goal id that is no UUID', plan({}, [{ goalId: 'goal-1' }])],
      ['an unknown field in a goal', plan({}, [{ priority: 1 }])],
      ['no householdParticipated', { agreedOn: daysAgo(20), goals: plan().goals }],
      ['notes over 10000 characters', plan({ notes: 'x'.repeat(10001) })],
    ])('a plan with %s: 400 validation', async (_what, body) => {
      const { caseId } = await activeCase(api);
      await refused(caseId, 'help-plan', body, 400, 'validation');
    });

    it.each<[string, Record<string, unknown>]>([
      ['an unknown status', { status: 'done' }],
      ['an unknown household view', { householdView: 'happy' }],
      ['no calendar date', { reviewedOn: '2025-02-30' }],
    ])('a review with %s: 400 validation', async (_what, overrides) => {
      const { caseId } = await activeCase(api);
      await agree(caseId);
      await refused(caseId, 'goal-reviews', review(await goalIdOf(caseId), overrides), 400, 'validation');
    });

    it('validation never echoes the wording', async () => {
      const { caseId } = await activeCase(api);
      const answer = await refused(caseId, 'help-plan', plan({}, [{ wording: `${RENT} ${'x'.repeat(500)}` }]), 400, 'validation');
      expect(answer.text).not.toContain('GAG');
    });
  });

  describe('If-Match and Idempotency-Key', () => {
    it('a stale revision is 412 stale-revision and writes nothing; the current one succeeds', async () => {
      const { caseId } = await activeCase(api);
      const answer = await expectNothingWritten(api, caseId, () => agree(caseId, plan(), users.anna, { 'If-Match': '"0"' }));
      expectProblem(answer, 412, 'stale-revision');
      const agreed = await agree(caseId, plan(), users.anna, { 'If-Match': '"1"' });
      expect(agreed.status).toBe(200);
      const goalId = await goalIdOf(caseId);
      expectProblem(await reviewOf(caseId, review(goalId), users.anna, { 'If-Match': '"1"' }), 412, 'stale-revision');
      expect((await reviewOf(caseId, review(goalId), users.anna, { 'If-Match': '"2"' })).status).toBe(200);
    });

    it('a retry returns the first answer and appends nothing (generated goal ids included); another body is 422', async () => {
      const { caseId } = await activeCase(api);
      const key = { 'Idempotency-Key': `plan-${randomUUID()}` };
      const first = await agree(caseId, plan(), users.anna, key);
      expect(first.status).toBe(200);
      const goalId = await goalIdOf(caseId);
      const again = await expectNothingWritten(api, caseId, () => agree(caseId, plan(), users.anna, key));
      expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: first.body });
      expect(await goalIdOf(caseId)).toBe(goalId);
      const reworded = await expectNothingWritten(api, caseId, () => agree(caseId, plan({}, [{ wording: 'anders' }]), users.anna, key));
      expectProblem(reworded, 422, 'idempotency-key-reused');
      const moved = await expectNothingWritten(api, caseId, () => agree(caseId, plan({ agreedOn: daysAgo(19) }), users.anna, key));
      expectProblem(moved, 422, 'idempotency-key-reused');

      const reviewKey = { 'Idempotency-Key': `review-${randomUUID()}` };
      const reviewed = await reviewOf(caseId, review(goalId), users.anna, reviewKey);
      expect(reviewed.status).toBe(200);
      const replayed = await expectNothingWritten(api, caseId, () => reviewOf(caseId, review(goalId), users.anna, reviewKey));
      expect(replayed.body).toEqual(reviewed.body);
      const other = await expectNothingWritten(api, caseId, () =>
        reviewOf(caseId, review(goalId, { status: 'achieved' }), users.anna, reviewKey),
      );
      expectProblem(other, 422, 'idempotency-key-reused');
    });
  });

  it('an erasure makes the wording unreadable in the case detail and the timeline', async () => {
    const { caseId, householdId } = await activeCase(api);
    await agree(caseId, plan({ notes: 'Plan am Küchentisch' }));
    const erased = await api.request('DELETE', `/api/households/${householdId}/personal-data`, { token: users.admin });
    expect(erased.status).toBe(204);
    const head = String(await api.store.headPosition('case'));
    const read = await api.request('GET', `/api/cases/${caseId}?minPosition=${head}`, { token: users.fachstelle });
    expect(read.body.helpPlan.goals[0]).toMatchObject({ area: 'rent_and_debts', wording: { erased: true } });
    const timeline = await api.request('GET', `/api/cases/${caseId}/timeline?minPosition=${head}`, { token: users.fachstelle });
    for (const text of [JSON.stringify(read.body), timeline.text]) {
      expect(text).not.toContain('GAG');
      expect(text).not.toContain('Küchentisch');
    }
  });
});
