import { keyIdOf, type KeyStore } from '@wih/key-store';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_STORE } from '../../src/store/key-store.provider';
import { approval, daysAgo, referral, today } from './fixtures';
import { activeCase, caseEvents, createCase, expectNothingWritten, expectProblem, TestApi, users, type Answer } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { eventually } from './read-side';
import { PLANTED_WORD, piecesLeftIn } from './planted-word';

/** DOMAIN.md "Personal data" / API.md: DELETE /api/households/{householdId}/personal-data (admin, 204). */

const NAME = 'Familie Quxlöwe';
const ADDRESS = 'Löschweg 7, 50667 Köln';
const NOTE = 'Notiz-Vertraulich-0815';
const OTHER = 'Familie Bleibtreu';

/**
 * GET that reads its own writes up to the head of the case streams (an erasure ends with the
 * household stream, which no projection reads).
 */
async function read(api: TestApi, path: string, token?: string): Promise<Answer> {
  const position = (await api.store.headPosition('case')).toString();
  return api.request('GET', `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`, { token });
}

const erase = (api: TestApi, householdId: string, token = users.admin): Promise<Answer> =>
  api.request('DELETE', `/api/households/${householdId}/personal-data`, { token });

describe("erasure of a household's personal data", () => {
  let api: TestApi;
  let household: string;
  let closedId: string;
  let activeId: string;
  let otherId: string;
  let statisticsBefore: unknown;
  /** The statistics without their asOf instant (which is "now" on every call). */
  const statistics = async () => {
    const { asOf: _asOf, ...figures } = (
      await api.request('GET', `/api/evaluation/statistics?from=${daysAgo(400)}&to=${today()}`, { token: users.fachstelle })
    ).body;
    return figures;
  };

  beforeAll(async () => {
    api = checkAnswersAgainstDocument(await TestApi.start());
    const personal = { household: { name: NAME, address: ADDRESS, phone: '0221 4711' }, notes: `${NOTE} Erstgespräch` };
    // Closed before the repeat case was received (rule 3: cases of one household never overlap).
    const first = await activeCase(api, personal);
    ({ caseId: closedId, householdId: household } = first);
    const closure = await api.post(`/api/cases/${closedId}/closure`, users.anna, {
      closedOn: daysAgo(30),
      reason: 'moved_away',
      housingAtClose: 'unknown',
    });
    expect(closure.status).toBe(200);
    // The household comes back: a repeat case, active, with notes on a visit.
    const repeat = await activeCase(
      api,
      { ...personal, householdId: household, receivedOn: daysAgo(20) },
      { approvedOn: daysAgo(10), plannedEndOn: daysAgo(-200) },
    );
    activeId = repeat.caseId;
    const visit = await api.post(`/api/cases/${activeId}/visits`, users.anna, { visitedOn: daysAgo(2), householdMet: true, notes: NOTE });
    expect(visit.status).toBe(200);
    otherId = (await createCase(api, { household: { name: OTHER, address: 'Bleibeweg 1' } })).caseId;
    expect((await read(api, `/api/cases/${activeId}`, users.fachstelle)).body.household.name).toBe(NAME);
    statisticsBefore = await statistics();
  });
  afterAll(() => api.stop());

  it('is for admins only: 403 for every other role, and nothing is written', async () => {
    for (const by of [users.anna, users.fachstelle, users.evaluator]) {
      expectProblem(await expectNothingWritten(api, closedId, () => erase(api, household, by)), 403, 'forbidden');
    }
  });

  it('answers 404 for an unknown household and 400 for an id that cannot be one, writing nothing', async () => {
    expectProblem(
      await expectNothingWritten(api, null, () => erase(api, '6a1f4b8e-0000-4000-8000-000000000000')),
      404,
      'household-not-found',
    );
    const invalid = await expectNothingWritten(api, null, () => erase(api, 'not-a-household'));
    expectProblem(invalid, 400, 'validation');
    expect(invalid.body.errors).toEqual([{ field: 'householdId', message: 'householdId must be a UUID' }]);
  });

  describe('after an erasure', () => {
    beforeAll(async () => {
      const answer = await erase(api, household);
      expect({ status: answer.status, text: answer.text }).toEqual({ status: 204, text: '' });
    });

    it('case detail shows the household as erased, every fact stays', async () => {
      for (const caseId of [closedId, activeId]) {
        const detail = (await read(api, `/api/cases/${caseId}`, users.fachstelle)).body;
        expect(detail.household).toEqual({ erased: true });
        expect(detail.householdId).toBe(household);
      }
      const active = (await read(api, `/api/cases/${activeId}`, users.fachstelle)).body;
      expect(active).toMatchObject({
        status: 'active',
        counts: { visits: 1, mediations: 0 },
        lastVisitOn: daysAgo(2),
        previousCaseId: closedId,
      });
      expect((await read(api, `/api/cases/${otherId}`, users.fachstelle)).body.household.name).toBe(OTHER);
    });

    it('caseload: no household name, and the name no longer finds the case', async () => {
      const items = (await read(api, '/api/caseload?limit=100', users.fachstelle)).body.items as {
        caseId: string;
        householdName: string | null;
      }[];
      expect(items.filter((i) => i.caseId === closedId || i.caseId === activeId).map((i) => i.householdName)).toEqual([null, null]);
      expect(items.find((i) => i.caseId === otherId)?.householdName).toBe(OTHER);
      const found = (await read(api, `/api/caseload?q=${encodeURIComponent('Quxlöwe')}`, users.fachstelle)).body.items;
      expect(found).toEqual([]);
    });

    it('timeline: notes and household gone from every entry, the entries and their facts stay', async () => {
      const timeline = (await read(api, `/api/cases/${activeId}/timeline`, users.fachstelle)).body;
      const text = JSON.stringify(timeline);
      for (const secret of [NAME, 'Quxlöwe', ADDRESS, NOTE, '0221 4711']) expect(text).not.toContain(secret);
      expect(timeline.items.map((i: { type: string }) => i.type)).toEqual([
        'ReferralReceived',
        'ReferralApproved',
        'HomeVisitRecorded',
        'PersonalDataErased',
      ]);
      expect(timeline.items[2].data).toMatchObject({ visitedOn: daysAgo(2), householdMet: true, personalDataErased: true });
    });

    it('statistics are the same as before the erasure', async () => {
      expect(await statistics()).toEqual(statisticsBefore);
    });

    it('is idempotent: a second call is 204 and appends nothing', async () => {
      const answer = await expectNothingWritten(api, activeId, () => erase(api, household));
      expect(answer.status).toBe(204);
    });

    it('the case goes on without personal data: facts are recorded, notes are refused', async () => {
      const facts = await api.post(`/api/cases/${activeId}/visits`, users.anna, { visitedOn: daysAgo(1), householdMet: false });
      expect({ status: facts.status, body: facts.body?.code }).toEqual({ status: 200, body: undefined });
      const withNotes = await expectNothingWritten(api, activeId, () =>
        api.post(`/api/cases/${activeId}/visits`, users.anna, { visitedOn: daysAgo(1), householdMet: true, notes: 'neu' }),
      );
      expectProblem(withNotes, 409, 'personal-data-erased');
    });

    it('erasing it again under the upper-case form of its id appends nothing', async () => {
      expect((await expectNothingWritten(api, activeId, () => erase(api, household.toUpperCase()))).status).toBe(204);
    });

    it('a rebuild of every projection after the erasure still shows it erased', async () => {
      for (const name of ['cases', 'timeline']) {
        expect((await api.request('POST', `/api/admin/projections/${name}/rebuild`, { token: users.admin })).status).toBe(202);
        await eventually(
          async () => (await api.request('GET', `/api/admin/projections/${name}/rebuild`, { token: users.admin })).body,
          (s) => s.status === 'done',
        );
      }
      expect((await read(api, `/api/cases/${closedId}`, users.fachstelle)).body.household).toEqual({ erased: true });
      const timeline = JSON.stringify((await read(api, `/api/cases/${closedId}/timeline`, users.fachstelle)).body);
      expect(timeline).not.toContain(NOTE);
      expect(timeline).not.toContain(NAME);
      expect((await read(api, `/api/cases/${otherId}`, users.fachstelle)).body.household.name).toBe(OTHER);
    });
  });
});

describe('an erased household that comes back', () => {
  it('is accepted under its id as a repeat case, under a new key: the old data stays unreadable, the new is readable, a second erasure destroys the new key too', async () => {
    const api = checkAnswersAgainstDocument(await TestApi.start());
    try {
      const keyStore = api.app.get<KeyStore>(KEY_STORE);
      const first = await activeCase(api, { household: { name: NAME, address: ADDRESS }, notes: NOTE });
      expect(
        (
          await api.post(`/api/cases/${first.caseId}/closure`, users.anna, {
            closedOn: daysAgo(30),
            reason: 'moved_away',
            housingAtClose: 'unknown',
          })
        ).status,
      ).toBe(200);
      expect((await erase(api, first.householdId)).status).toBe(204);

      // Under its id in any spelling (one canonical form), dated after the earlier closing.
      const back = await api.post(
        '/api/cases',
        users.anna,
        referral({
          householdId: first.householdId.toUpperCase(),
          receivedOn: daysAgo(10),
          household: { name: OTHER, address: 'Rückweg 2' },
        }),
      );
      expect(back.status).toBe(201);
      const [received] = await caseEvents(api, back.body.caseId);
      expect(received.data).toMatchObject({
        householdId: first.householdId,
        previousCaseId: first.caseId,
        personal: { kid: keyIdOf(first.householdId, 2) },
      });
      expect(await keyStore.get(first.householdId)).toMatchObject({ status: 'destroyed' });
      expect(await keyStore.get(keyIdOf(first.householdId, 2))).toMatchObject({ status: 'active' });

      const detail = (await read(api, `/api/cases/${back.body.caseId}`, users.fachstelle)).body;
      expect(detail).toMatchObject({
        householdId: first.householdId,
        previousCaseId: first.caseId,
        household: { name: OTHER, address: 'Rückweg 2' },
      });
      expect((await read(api, `/api/cases/${first.caseId}`, users.fachstelle)).body.household).toEqual({ erased: true });
      const timeline = JSON.stringify((await read(api, `/api/cases/${first.caseId}/timeline`, users.fachstelle)).body);
      for (const secret of [NAME, ADDRESS, NOTE]) expect(timeline).not.toContain(secret);
      // Its new case records notes again (the old one stays erased: no notes there).
      expect(
        (
          await api.post(
            `/api/cases/${back.body.caseId}/approval`,
            users.fachstelle,
            approval({ approvedOn: daysAgo(5), plannedEndOn: daysAgo(-200) }),
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await api.post(`/api/cases/${back.body.caseId}/visits`, users.anna, {
            visitedOn: daysAgo(1),
            householdMet: true,
            notes: 'wieder da',
          })
        ).status,
      ).toBe(200);

      expect((await erase(api, first.householdId)).status).toBe(204);
      expect(await keyStore.get(keyIdOf(first.householdId, 2))).toMatchObject({ status: 'destroyed' });
      expect((await read(api, `/api/cases/${back.body.caseId}`, users.fachstelle)).body.household).toEqual({ erased: true });
      expect(JSON.stringify((await read(api, `/api/cases/${back.body.caseId}/timeline`, users.fachstelle)).body)).not.toContain(
        'wieder da',
      );
    } finally {
      await api.stop();
    }
  });
});

describe('the files of DATA_DIR after an erasure', () => {
  const WORD = PLANTED_WORD;

  it('hold no piece of an erased name: the name search index is cleaned too (not only marked deleted)', async () => {
    const api = checkAnswersAgainstDocument(await TestApi.start());
    try {
      const { caseId, householdId } = await createCase(api, { household: { name: `Familie ${WORD}`, address: 'Suchweg 1, 50667 Köln' } });
      // Other households keep the index busy around it (the erased entries sit between theirs).
      for (const name of ['Familie Abendroth', 'Familie Zimmermann']) await createCase(api, { household: { name, address: 'Nebenweg 2' } });
      const found = await read(api, `/api/caseload?q=${encodeURIComponent(WORD.slice(2, 7).toLowerCase())}`, users.fachstelle);
      expect(found.body.items.map((item: { caseId: string }) => item.caseId)).toEqual([caseId]);
      expect((await erase(api, householdId)).status).toBe(204);
      expect((await read(api, `/api/cases/${caseId}`, users.fachstelle)).body.household).toEqual({ erased: true });
      const left = () => piecesLeftIn(api.dataDir, WORD);
      // The read store's scrub (empties the WAL) runs in the background once the erasure is projected.
      expect(
        await eventually(
          async () => left(),
          (list) => list.length === 0,
        ),
      ).toEqual([]);
    } finally {
      await api.stop();
    }
  });
});

describe('the embedded event store file', () => {
  it('holds no plaintext personal data of events written since encryption (schema 2)', async () => {
    const api = checkAnswersAgainstDocument(await TestApi.start());
    try {
      const name = 'Familie Klartextprobe';
      const { caseId } = await activeCase(api, {
        household: { name, address: 'Geheimgasse 3, 50667 Köln', phone: '0221 12345' },
        notes: 'Notiz-Klartext',
      });
      expect(
        (
          await api.post(`/api/cases/${caseId}/visits`, users.anna, {
            visitedOn: daysAgo(1),
            householdMet: true,
            notes: 'Besuchsnotiz-Klartext',
          })
        ).status,
      ).toBe(200);
      const file = join(api.dataDir, 'events.sqlite');
      const db = new Database(file, { readonly: true });
      const rows = db.prepare('SELECT type, data, metadata FROM events').all() as { type: string; data: string; metadata: string }[];
      db.close();
      expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['ReferralReceived', 'HomeVisitRecorded']));
      for (const row of rows) {
        expect(row.data + row.metadata).not.toMatch(/Klartext|Geheimgasse|12345/);
        expect(JSON.parse(row.metadata).schemaVersion).toBe(2);
      }
      const withPersonal = rows.filter((r) => 'personal' in JSON.parse(r.data)).map((r) => JSON.parse(r.data).personal);
      expect(withPersonal.length).toBe(2);
      for (const personal of withPersonal) expect(Object.keys(personal).sort()).toEqual(['alg', 'ct', 'iv', 'kid', 'tag']);
      // And the raw bytes of the database and its WAL, not only what SQL returns.
      for (const suffix of ['', '-wal']) {
        const bytes = (() => {
          try {
            return readFileSync(file + suffix);
          } catch {
            return Buffer.alloc(0);
          }
        })();
        expect(bytes.includes(Buffer.from('Klartextprobe'))).toBe(false);
      }
      // The API still shows them to those who may read them.
      expect((await read(api, `/api/cases/${caseId}`, users.fachstelle)).body.household.name).toBe(name);
    } finally {
      await api.stop();
    }
  });
});

describe('when the key store does not answer', () => {
  it('a command carrying personal data is refused with 503 store-unavailable and writes nothing; facts alone still land', async () => {
    const api = checkAnswersAgainstDocument(await TestApi.start());
    try {
      const { caseId } = await activeCase(api);
      await api.app.get<KeyStore>(KEY_STORE).close();
      const refused = await expectNothingWritten(api, null, () => api.post('/api/cases', users.anna, referral()));
      expectProblem(refused, 503, 'store-unavailable');
      const visit = await api.post(`/api/cases/${caseId}/visits`, users.anna, { visitedOn: daysAgo(1), householdMet: true });
      expect(visit.status).toBe(200);
    } finally {
      await api.stop();
    }
  });
});
