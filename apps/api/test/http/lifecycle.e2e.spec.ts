import { openPersonalData, PersonalDataKeys } from '@wih/application';
import { approval, daysAgo, referral } from './fixtures';
import { TestApi, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';

describe('a case over HTTP, from referral to closure', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  it('records every lifecycle step as one event with consecutive revisions and growing positions', async () => {
    const created = await api.post('/api/cases', users.anna, referral());
    expect(created.status).toBe(201);
    const { caseId } = created.body;
    expect(created.headers.get('location')).toBe(`/api/cases/${caseId}`);
    expect(created.headers.get('etag')).toBe('"0"');
    expect(created.body).toEqual({ caseId, revision: 0, position: expect.stringMatching(/^\d+$/) });

    const steps: [string, string, object][] = [
      ['approval', users.fachstelle, approval()],
      ['visits', users.anna, { visitedOn: daysAgo(40), householdMet: true, concerns: ['economic'], notes: 'Mietrückstand besprochen' }],
      ['mediations', users.anna, { mediatedOn: daysAgo(35), kind: 'jobcenter', institutionKind: 'jobcenter' }],
      ['housing-secured', users.anna, { securedOn: daysAgo(20), outcome: 'tenancy_preserved' }],
      ['extension', users.fachstelle, { plannedEndOn: addToPlannedEnd(), reason: 'goal_not_yet_reached' }],
      ['reassignment', users.fachstelle, { caseworkerId: 'ben' }],
      // Today: the extension and the reassignment are dated today, and a closing never precedes them (rule 3).
      ['closure', users.ben, { closedOn: daysAgo(0), reason: 'goal_achieved', housingAtClose: 'own_tenancy' }],
    ];
    let position = BigInt(created.body.position);
    for (const [index, [route, token, body]] of steps.entries()) {
      const answer = await api.post(`/api/cases/${caseId}/${route}`, token, body);
      expect({ route, status: answer.status }).toEqual({ route, status: 200 });
      expect(answer.body.revision).toBe(index + 1);
      expect(answer.headers.get('etag')).toBe(`"${index + 1}"`);
      expect(BigInt(answer.body.position)).toBeGreaterThan(position);
      position = BigInt(answer.body.position);
    }

    const stored = await api.store.readStream(`case-${caseId}`);
    expect(stored[0].data).toMatchObject({ personal: { alg: 'A256GCM', kid: (stored[0].data as { householdId: string }).householdId } }); // sealed in the store
    const events = await openPersonalData(stored, api.app.get(PersonalDataKeys));
    expect(events.map((e) => e.type)).toEqual([
      'ReferralReceived',
      'ReferralApproved',
      'HomeVisitRecorded',
      'HelpMediated',
      'HousingSecured',
      'HelpPeriodExtended',
      'CaseworkerReassigned',
      'CaseClosed',
    ]);
    expect(events[0].metadata).toMatchObject({ userId: 'anna', role: 'caseworker', businessDate: daysAgo(60), schemaVersion: 2 });
    expect(events[0].data).toMatchObject({
      recordedBy: 'anna',
      previousCaseId: null,
      personal: { household: { name: 'Familie Testfall' } },
    });
    expect(events[2].data).toMatchObject({ visitedOn: daysAgo(40), personal: { notes: 'Mietrückstand besprochen' } });
  });

  it('links a new referral for a household whose case was closed (a repeat case)', async () => {
    const first = await api.post('/api/cases', users.anna, referral());
    const { caseId } = first.body;
    await api.post(`/api/cases/${caseId}/approval`, users.fachstelle, approval());
    await api.post(`/api/cases/${caseId}/closure`, users.anna, { closedOn: daysAgo(10), reason: 'moved_away', housingAtClose: 'unknown' });
    const [received] = await api.store.readStream(`case-${caseId}`);
    const householdId = (received.data as { householdId: string }).householdId;

    const repeat = await api.post('/api/cases', users.anna, referral({ householdId, receivedOn: daysAgo(2) }));
    expect(repeat.status).toBe(201);
    const [repeatReceived] = await api.store.readStream(`case-${repeat.body.caseId}`);
    expect(repeatReceived.data).toMatchObject({ householdId, previousCaseId: caseId });
  });
});

function addToPlannedEnd(): string {
  const end = new Date(`${approval().plannedEndOn}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 60);
  return end.toISOString().slice(0, 10);
}
