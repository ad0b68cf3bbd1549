import { openPersonalData, PersonalDataKeys } from '@wih/application';
import { addDays } from '@wih/domain';
import { approval, daysAgo, referral, today } from './fixtures';
import { createCase, TestApi, users } from './harness';
import { checkAnswersAgainstDocument } from './contract';

/**
 * DOMAIN.md "Personal data" and "Evaluation": evaluators see anonymised figures and rows only.
 * Recognisable names, addresses, phone numbers and notes are planted through every command route
 * that takes them; no evaluator output in any format may carry them, nor any case or household id.
 */

const NAME = 'Zyxwvu Plantname';
const ADDRESS = 'Qwertzstraße 99, 50667 Köln';
const PHONE = '0221-555-9999';
const NOTE = 'Notiz-Geheim-4711';
/** The planted values and recognisable parts of them, also as an HTML page or a CSV cell might write them. */
const PLANTED = [
  NAME,
  'Zyxwvu',
  'Plantname',
  ADDRESS,
  'Qwertzstraße',
  'Qwertzstra&szlig;e',
  'Qwertzstra&#223;e',
  'Qwertz',
  PHONE,
  '555-9999',
  '5559999',
  NOTE,
  'Notiz-Geheim',
  'Geheim',
];

async function ok(api: TestApi, path: string, token: string, body: unknown): Promise<void> {
  const answer = await api.post(path, token, body);
  if (answer.status !== 200) throw new Error(`${path} refused: ${answer.status} ${answer.text}`);
}

describe('evaluation outputs carry no personal data', () => {
  let api: TestApi;
  const ids: string[] = [];
  const from = daysAgo(400);
  const to = today();
  const year = Number(today().slice(0, 4));
  const outputs: { what: string; text: string }[] = [];

  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
    const planted = (n: number) =>
      referral({
        receivedOn: daysAgo(200 - n),
        children: n % 3,
        household: { name: `${NAME} ${n}`, address: ADDRESS, phone: PHONE },
        notes: `${NOTE} Erstgespräch ${NAME}`,
      });
    const closedHouseholds: string[] = [];
    for (let n = 0; n < 8; n++) {
      const { caseId, householdId } = await createCase(api, planted(n));
      ids.push(caseId, householdId);
      const base = `/api/cases/${caseId}`;
      if (n === 7) {
        await ok(api, `${base}/rejection`, users.fachstelle, { rejectedOn: daysAgo(190 - n), reason: 'other', notes: `${NOTE} ${PHONE}` });
        continue;
      }
      const approvedOn = daysAgo(190 - n);
      await ok(api, `${base}/approval`, users.fachstelle, approval({ approvedOn, plannedEndOn: addDays(approvedOn, 300) }));
      await ok(api, `${base}/visits`, users.anna, {
        visitedOn: daysAgo(180 - n),
        householdMet: true,
        concerns: ['tenancy'],
        notes: `${NOTE} bei ${NAME}, ${ADDRESS}`,
      });
      await ok(api, `${base}/mediations`, users.anna, {
        mediatedOn: daysAgo(170 - n),
        kind: 'landlord',
        notes: `${NOTE} Vermieter von ${NAME}`,
      });
      if (n < 5) {
        await ok(api, `${base}/housing-secured`, users.anna, { securedOn: daysAgo(150 - n), outcome: 'tenancy_preserved' });
        await ok(api, `${base}/closure`, users.anna, {
          closedOn: daysAgo(120 - n),
          reason: 'goal_achieved',
          housingAtClose: 'own_tenancy',
          notes: `${NOTE} ${PHONE}`,
        });
        closedHouseholds.push(householdId);
      }
    }
    // repeat referrals of closed households, with personal data of their own
    for (const householdId of closedHouseholds.slice(0, 2)) {
      const { caseId } = await createCase(
        api,
        referral({
          householdId,
          receivedOn: daysAgo(60),
          household: { name: NAME, address: ADDRESS, phone: PHONE },
          notes: NOTE,
        }),
      );
      ids.push(caseId);
    }

    // every evaluator output, in every format, for the period and for the annual report
    const fetchText = async (what: string, path: string, token = users.evaluator) => {
      const response = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`${what}: ${response.status} ${await response.text()}`);
      outputs.push({ what, text: Buffer.from(await response.arrayBuffer()).toString('utf8') });
    };
    const period = `from=${from}&to=${to}`;
    await fetchText('statistics (evaluator)', `/api/evaluation/statistics?${period}`);
    await fetchText('statistics (fachstelle)', `/api/evaluation/statistics?${period}`, users.fachstelle);
    for (const y of [year, year - 1]) {
      await fetchText(`annual report ${y} json`, `/api/evaluation/annual-report/${y}?format=json`);
      await fetchText(`annual report ${y} csv`, `/api/evaluation/annual-report/${y}?format=csv`);
      await fetchText(`annual report ${y} csv;`, `/api/evaluation/annual-report/${y}?format=csv&separator=semicolon`);
      await fetchText(`annual report ${y} html`, `/api/evaluation/annual-report/${y}?format=html`);
    }
    await fetchText('case export json', `/api/evaluation/cases?${period}&format=json`);
    await fetchText('case export csv', `/api/evaluation/cases?${period}&format=csv`);
    await fetchText('case export csv;', `/api/evaluation/cases?${period}&format=csv&separator=semicolon`);
  }, 60_000);
  afterAll(() => api.stop());

  it('the planted personal data is in the log (so its absence below means something)', async () => {
    const [received] = await openPersonalData(await api.store.readStream(`case-${ids[0]}`), api.app.get(PersonalDataKeys));
    expect(JSON.stringify(received.data)).toContain(NAME);
  });

  it('the outputs are not empty: they describe the planted cases', () => {
    const exported = JSON.parse(outputs.find((o) => o.what === 'case export json')?.text ?? '{}');
    expect(exported.rows).toHaveLength(10);
    const statistics = JSON.parse(outputs[0].text);
    expect(statistics.referrals.total).toBe(10);
    expect(outputs).toHaveLength(13);
  });

  it.each(PLANTED)('no output contains "%s"', (planted) => {
    const found = outputs.filter((o) => o.text.toLowerCase().includes(planted.toLowerCase())).map((o) => o.what);
    expect(found).toEqual([]);
  });

  it('no output contains a case id or household id, whole or in part', () => {
    expect(ids).toHaveLength(18);
    const parts = ids.flatMap((id) => [id, id.replace(/-/g, ''), id.slice(0, 8), id.slice(-12)]);
    const found = outputs.flatMap((o) =>
      parts.filter((part) => o.text.toLowerCase().includes(part.toLowerCase())).map((part) => `${o.what}: ${part}`),
    );
    expect(found).toEqual([]);
  });
});
