import { daysAgo, today } from './fixtures';
import { activeCase, closedCase, createCase, expectNothingWritten, expectProblem, TestApi, users, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { eventually } from './read-side';
import { PLANTED_WORD, piecesLeftIn } from './planted-word';

/** API.md: POST /api/cases/{id}/household-details (caseworker, fachstelle); decision 0030. */

/** A GET that reads its own writes (the case streams' head). */
async function read(api: TestApi, path: string, token = users.fachstelle): Promise<Answer> {
  const position = (await api.store.headPosition('case')).toString();
  return api.request('GET', `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`, { token });
}

const change = (api: TestApi, caseId: string, body: Record<string, unknown>, token = users.anna) =>
  api.post(`/api/cases/${caseId}/household-details`, token, { changedOn: today(), reason: 'moved', ...body });

describe("changing a household's details", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  it('shows the new details in the case detail and the caseload, keeping the fields not sent', async () => {
    const { caseId } = await activeCase(api, { household: { name: 'Familie Umzug', address: 'Altweg 1, 50667 Köln', phone: '0221 1' } });
    const answer = await change(api, caseId, { household: { address: 'Neuweg 2, 50668 Köln' } });
    expect(answer.status).toBe(200);
    expect((await read(api, `/api/cases/${caseId}`)).body.household).toEqual({
      name: 'Familie Umzug',
      address: 'Neuweg 2, 50668 Köln',
      phone: '0221 1',
    });
    expect((await read(api, `/api/cases/${caseId}`, users.anna)).body.household.address).toBe('Neuweg 2, 50668 Köln');
    const renamed = await change(api, caseId, { reason: 'correction', household: { name: 'Familie Umzugs' } }, users.fachstelle);
    expect(renamed.status).toBe(200);
    const caseload = await read(api, `/api/caseload?caseworkerId=anna&limit=100`);
    expect(caseload.body.items.find((item: { caseId: string }) => item.caseId === caseId).householdName).toBe('Familie Umzugs');
  });

  it('says on the timeline that the details changed and why, but no old or new value', async () => {
    const { caseId } = await activeCase(api, { household: { name: 'Familie Altname', address: 'Zeitweg 1, 50667 Köln' } });
    expect((await change(api, caseId, { household: { name: 'Familie Neuname', address: 'Zeitweg 9' } })).status).toBe(200);
    const timeline = await read(api, `/api/cases/${caseId}/timeline`);
    const entry = timeline.body.items.at(-1);
    expect(entry).toMatchObject({ type: 'HouseholdDetailsChanged', occurredOn: today() });
    expect(entry.data).toEqual({ changedOn: today(), reason: 'moved', changed: ['name', 'address'] });
    expect(timeline.body.items[0].data.household).toEqual({ superseded: true });
    expect(timeline.text).not.toMatch(/Altname|Neuname|Zeitweg/);
  });

  it('lets the search find the new name and forget the old one, on disk too', async () => {
    const OLD = PLANTED_WORD;
    const { caseId } = await createCase(api, { household: { name: `Familie ${OLD}`, address: 'Suchweg 1, 50667 Köln' } });
    const search = (q: string) => read(api, `/api/caseload?q=${encodeURIComponent(q)}`);
    expect((await search(OLD.slice(1, 6).toLowerCase())).body.items.map((item: { caseId: string }) => item.caseId)).toEqual([caseId]);
    expect((await change(api, caseId, { reason: 'correction', household: { name: 'Familie Brakmeier' } })).status).toBe(200);
    expect((await search(OLD.slice(1, 6).toLowerCase())).body.items).toEqual([]);
    expect((await search('brakmei')).body.items.map((item: { caseId: string }) => item.caseId)).toEqual([caseId]);
    // The event store keeps the old name sealed; the read store keeps no piece of it in any file.
    const left = () => piecesLeftIn(api.dataDir, OLD, (file) => file.startsWith('read'));
    expect(
      await eventually(
        async () => left(),
        (list) => list.length === 0,
      ),
    ).toEqual([]);
  });

  it('records a correction on a closed latest case, refuses a move there, and refuses once a repeat case exists', async () => {
    const { caseId, householdId } = await closedCase(api, { household: { name: 'Familie Ende', address: 'Endweg 1' } });
    await expectNothingWritten(api, caseId, async () => {
      const moved = await change(api, caseId, { household: { address: 'Endweg 2' } });
      expectProblem(moved, 409, 'invalid-state');
      return moved;
    });
    expect((await change(api, caseId, { reason: 'correction', household: { name: 'Familie Ende-Korrekt' } })).status).toBe(200);
    expect((await read(api, `/api/cases/${caseId}`)).body.household.name).toBe('Familie Ende-Korrekt');
    // The household comes back: the repeat case starts with the details its referral sent.
    const repeat = await createCase(api, {
      householdId,
      receivedOn: today(),
      household: { name: 'Familie Ende-Korrekt', address: 'Endweg 3' },
    });
    expect((await read(api, `/api/cases/${repeat.caseId}`)).body).toMatchObject({
      previousCaseId: caseId,
      household: { name: 'Familie Ende-Korrekt', address: 'Endweg 3', phone: null },
    });
    await expectNothingWritten(api, caseId, async () => {
      const late = await change(api, caseId, { reason: 'correction', household: { phone: '0221 2' } }, users.fachstelle);
      expectProblem(late, 409, 'not-latest-case');
      return late;
    });
    expect((await change(api, repeat.caseId, { reason: 'new_phone', household: { phone: '0221 2' } })).status).toBe(200);
  });

  it.each([
    ['no field', { household: {} }, 400, 'validation'],
    ['an unknown field', { household: { email: 'x@example.org' } }, 400, 'validation'],
    ['an empty name', { household: { name: '' } }, 400, 'validation'],
    ['an unknown reason', { reason: 'divorce', household: { name: 'X' } }, 400, 'validation'],
    ['a date in the future', { changedOn: '2999-01-01', household: { name: 'X' } }, 409, 'date-in-future'],
    ['a date before the referral', { changedOn: daysAgo(365), household: { name: 'X' } }, 409, 'date-before-referral'],
  ])('refuses %s and writes nothing', async (_what, body, status, code) => {
    const { caseId } = await activeCase(api);
    await expectNothingWritten(api, caseId, async () => {
      const answer = await change(api, caseId, body);
      expectProblem(answer, status as number, code as string);
      return answer;
    });
  });

  it('is refused after an erasure', async () => {
    const { caseId, householdId } = await closedCase(api);
    expect((await api.request('DELETE', `/api/households/${householdId}/personal-data`, { token: users.admin })).status).toBe(204);
    expectProblem(await change(api, caseId, { reason: 'correction', household: { name: 'Familie Danach' } }), 409, 'personal-data-erased');
  });
});
