import { SchedulerRegistry } from '@nestjs/schedule';
import { RetentionService } from '../../src/retention/retention.service';
import { daysAgo, today } from './fixtures';
import { activeCase, closedCase, createCase, TestApi, users, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';

/** DOMAIN.md "Retention": the daily job in the API erases expired households through the erasure path. */

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

async function read(api: TestApi, path: string): Promise<Answer> {
  const position = (await api.store.headPosition('case')).toString();
  return api.request('GET', `${path}?minPosition=${position}`, { token: users.fachstelle });
}

describe('retention job in the API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
  });
  afterAll(() => api.stop());

  it('is scheduled daily', () => {
    const job = api.app.get(SchedulerRegistry).getCronJob('retention');
    expect(job.cronTime.source).toBe('0 03 * * *');
  });

  it('erases households whose period ended; open cases and recent closings stay', async () => {
    const closed = await closedCase(api, { household: { name: 'Familie Abgelaufen', address: 'Altweg 1' } });
    const rejected = await createCase(api, { household: { name: 'Familie Abgelehnt', address: 'Neinweg 2' } });
    expect(
      (await api.post(`/api/cases/${rejected.caseId}/rejection`, users.fachstelle, { rejectedOn: daysAgo(1), reason: 'other' })).status,
    ).toBe(200);
    const open = await activeCase(api, { household: { name: 'Familie Offen', address: 'Offenweg 3' } });
    const service = api.app.get(RetentionService);

    // In two years the rejection (1 year) has expired, the closing (6 years) not.
    const inTwoYears = await service.run(new Date(Date.now() + 2 * YEAR_MS));
    expect(inTwoYears.due.map((d) => d.householdId)).toEqual([rejected.householdId]);
    expect(inTwoYears.erasures).toEqual([{ householdId: rejected.householdId, outcome: 'erased', appended: 2 }]);
    expect((await read(api, `/api/cases/${rejected.caseId}`)).body.household).toEqual({ erased: true });
    expect((await read(api, `/api/cases/${closed.caseId}`)).body.household.name).toBe('Familie Abgelaufen');

    // In seven years the closing has expired too; the active case never does.
    const dry = await service.run(new Date(Date.now() + 7 * YEAR_MS), true);
    expect(dry.due.map((d) => d.householdId)).toEqual([closed.householdId]);
    expect((await read(api, `/api/cases/${closed.caseId}`)).body.household.name).toBe('Familie Abgelaufen');
    const inSevenYears = await service.run(new Date(Date.now() + 7 * YEAR_MS));
    expect(inSevenYears.erasures.map((e) => [e.householdId, e.outcome])).toEqual([[closed.householdId, 'erased']]);
    expect((await read(api, `/api/cases/${closed.caseId}`)).body.household).toEqual({ erased: true });
    expect((await read(api, `/api/cases/${open.caseId}`)).body.household.name).toBe('Familie Offen');
  });

  it('erases a restricted household whose period ended: a restriction keeps the data until then, not longer (DOMAIN.md)', async () => {
    const restricted = await closedCase(api, { household: { name: 'Familie Gesperrt', address: 'Sperrweg 4' } });
    const restriction = await api.post(`/api/households/${restricted.householdId}/restriction`, users.fachstelle, {
      restrictedOn: today(),
      reason: 'needed_for_legal_claims',
    });
    expect(restriction.status).toBe(200);
    const service = api.app.get(RetentionService);

    const inSevenYears = await service.run(new Date(Date.now() + 7 * YEAR_MS));
    expect(inSevenYears.erasures).toEqual([{ householdId: restricted.householdId, outcome: 'erased', appended: 2 }]);
    const detail = await read(api, `/api/cases/${restricted.caseId}`);
    expect(detail.body).toMatchObject({ restricted: true, household: { erased: true } });
    expect(detail.text).not.toMatch(/Gesperrt|Sperrweg/);
  });
});
