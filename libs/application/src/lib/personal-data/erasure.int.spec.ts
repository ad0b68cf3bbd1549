import { addMonths } from '@wih/domain';
import { keyIdOf, openSqliteKeyStore, type SqliteKeyStore } from '@wih/key-store';
import type { SqliteEventStore } from '@wih/event-store';
import { defaultHandlerSettings, handleCaseCommand, type Actor, type HandlerSettings } from '../case-commands';
import { PLAINTEXT_SCHEMA_VERSION, SCHEMA_VERSION, encodeCaseEvent, encodeHouseholdEvent } from '../codec';
import { replayFacts } from '../evaluation/replay';
import { toProjectedEvent } from '../projections/projected-event';
import { receiveReferral } from '../receive-referral';
import { openEvents, removeDir, tempDir } from '../projections/testing/fixtures';
import { completeInterruptedErasures, erasePersonalData } from './erase';
import { PersonalDataKeys } from './keys';
import { openPersonalData, withPersonalData } from './reading';
import { restrictProcessing } from './restrict';
import { runRetention } from './retention';

const ANNA: Actor = { userId: 'cw-anna', role: 'caseworker' };
const FACHSTELLE: Actor = { userId: 'fs-1', role: 'fachstelle' };
const ADMIN: Actor = { userId: 'adm', role: 'admin' };
const NAME = 'Familie Öztürk';
const NOTES = 'Vermieter droht mit Räumungsklage';

describe('personal data on the embedded stores: encryption, erasure, retention', () => {
  let dir: string;
  let events: SqliteEventStore;
  let keyStore: SqliteKeyStore;
  let keys: PersonalDataKeys;
  let settings: HandlerSettings;
  beforeEach(() => {
    dir = tempDir('wih-erasure-');
    events = openEvents(dir);
    keyStore = openSqliteKeyStore(dir);
    keys = new PersonalDataKeys(keyStore);
    settings = { ...defaultHandlerSettings, keys };
  });
  afterEach(async () => {
    await events.close();
    await keyStore.close();
    removeDir(dir);
  });

  /** A referral, approved, a visit with notes, closed on `closedOn`: all through the command handlers. */
  async function closedCase(receivedOn: string, closedOn: string, householdId?: string) {
    const { caseId } = await receiveReferral(
      events,
      {
        receivedOn,
        referralSource: 'jobcenter',
        targetGroup: 'recommitted',
        housingSituation: 'seized_flat',
        threatCauses: [],
        adults: 1,
        children: 2,
        existingAid: [],
        consentGiven: true,
        household: { name: NAME, address: 'Venloer Str. 12' },
        notes: NOTES,
        ...(householdId ? { householdId } : {}),
      },
      ANNA,
      {},
      settings,
    );
    const run = (build: Parameters<typeof handleCaseCommand>[1], actor: Actor) => handleCaseCommand(events, build, actor, {}, settings);
    await run(
      (context) => ({
        type: 'ApproveReferral',
        caseId,
        context,
        data: { approvedOn: receivedOn, assignedCaseworkerId: 'cw-anna', plannedEndOn: addMonths(receivedOn, 6) },
      }),
      FACHSTELLE,
    );
    await run(
      (context) => ({
        type: 'RecordHomeVisit',
        caseId,
        context,
        data: { visitedOn: receivedOn, householdMet: true, concerns: [], notes: NOTES },
      }),
      ANNA,
    );
    await run(
      (context) => ({ type: 'CloseCase', caseId, context, data: { closedOn, reason: 'moved_away', housingAtClose: 'unknown' } }),
      ANNA,
    );
    const [received] = await events.readStream(`case-${caseId}`);
    return { caseId, householdId: (received.data as { householdId: string }).householdId };
  }

  const projectedPersonal = async (caseId: string) =>
    (await withPersonalData(events, keys).readStream(`case-${caseId}`))
      .map((e) => toProjectedEvent(e))
      .map((e) => ('personal' in e ? e.personal : undefined));

  it('stores personal parts sealed (schema 2) and opens them for the projections only', async () => {
    const { caseId } = await closedCase('2024-01-10', '2024-03-01');
    const raw = await events.readStream(`case-${caseId}`);
    expect(raw.map((e) => e.metadata.schemaVersion)).toEqual([SCHEMA_VERSION, SCHEMA_VERSION, SCHEMA_VERSION, SCHEMA_VERSION]);
    const stored = JSON.stringify(raw.map((e) => e.data));
    expect(stored).not.toContain('Öztürk');
    expect(stored).not.toContain(NOTES);
    expect((raw[0].data as { personal: { alg: string } }).personal.alg).toBe('A256GCM');
    // Without opening (as command handling reads), the sealed part decodes as null: never ciphertext.
    expect((toProjectedEvent(raw[0]) as { personal?: unknown }).personal).toBeNull();
    expect(await projectedPersonal(caseId)).toEqual([
      { household: { name: NAME, address: 'Venloer Str. 12' }, notes: NOTES },
      undefined,
      { notes: NOTES },
      {},
    ]);
  });

  it('erases: key destroyed, PersonalDataErased on every case and the household; a second run appends nothing', async () => {
    const first = await closedCase('2023-01-10', '2023-03-01');
    const second = await closedCase('2024-01-10', '2024-03-01', first.householdId);
    const factsBefore = await replayFacts(events, new Date().toISOString());
    const result = await erasePersonalData(events, keys, first.householdId, ADMIN);
    expect(result).toEqual({ householdId: first.householdId, outcome: 'erased', appended: 3 });
    expect((await keyStore.get(first.householdId))?.status).toBe('destroyed');
    for (const { caseId } of [first, second]) {
      expect((await events.readStream(`case-${caseId}`)).at(-1)?.type).toBe('PersonalDataErased');
      expect((await projectedPersonal(caseId)).filter((p) => p !== undefined)).toEqual([null, null, {}]); // the closure had no notes: nothing was sealed
    }
    expect((await events.readStream(`household-${first.householdId}`)).at(-1)?.type).toBe('PersonalDataErased');
    const head = await events.headPosition();
    expect(await erasePersonalData(events, keys, first.householdId, ADMIN)).toEqual({
      householdId: first.householdId,
      outcome: 'already-erased',
      appended: 0,
    });
    expect(await events.headPosition()).toBe(head);
    // Evaluation reads only facts: the same before and after.
    const factsAfter = await replayFacts(events, new Date().toISOString());
    expect(factsAfter.cases).toEqual(factsBefore.cases);
  });

  it('refuses an unknown household (not found) and writes nothing', async () => {
    const head = await events.headPosition();
    await expect(erasePersonalData(events, keys, '00000000-0000-4000-8000-000000000000', ADMIN)).rejects.toMatchObject({
      code: 'household-not-found',
    });
    expect(await events.headPosition()).toBe(head);
    expect(await keyStore.list()).toEqual([]);
  });

  it('a crash after the key was destroyed: data unreadable at once, the next run completes the events', async () => {
    const { caseId, householdId } = await closedCase('2024-01-10', '2024-03-01');
    await keys.destroy(householdId, new Date().toISOString()); // the erasure got this far, then crashed
    expect((await projectedPersonal(caseId))[0]).toBeNull();
    const completed = await completeInterruptedErasures(events, keys, ADMIN);
    expect(completed).toEqual([{ householdId, outcome: 'erased', appended: 2 }]);
    expect((await events.readStream(`household-${householdId}`)).at(-1)?.type).toBe('PersonalDataErased');
    expect(await completeInterruptedErasures(events, keys, ADMIN)).toEqual([]);
  });

  it('after an erasure the household may come back: a repeat case under a new key generation; the old data stays unreadable', async () => {
    const { caseId, householdId } = await closedCase('2024-01-10', '2024-03-01');
    await erasePersonalData(events, keys, householdId, ADMIN);
    expect((await events.readStream(`case-${caseId}`)).at(-1)?.type).toBe('PersonalDataErased');

    const back = await closedCase('2024-05-01', '2024-06-01', householdId);
    const [received] = await events.readStream(`case-${back.caseId}`);
    expect(received.data).toMatchObject({ previousCaseId: caseId, personal: { kid: keyIdOf(householdId, 2) } });
    expect((await projectedPersonal(back.caseId))[0]).toEqual({ household: { name: NAME, address: 'Venloer Str. 12' }, notes: NOTES });
    expect((await projectedPersonal(caseId))[0]).toBeNull();
    // Its destroyed first key is no interrupted erasure any more (the household came back since).
    expect(await completeInterruptedErasures(events, keys, ADMIN)).toEqual([]);

    expect(await erasePersonalData(events, keys, householdId, ADMIN)).toEqual({ householdId, outcome: 'erased', appended: 2 });
    expect((await projectedPersonal(back.caseId))[0]).toBeNull();
    expect((await keyStore.list()).map(({ keyId, status }) => [keyId, status])).toEqual([
      [householdId, 'destroyed'],
      [keyIdOf(householdId, 2), 'destroyed'],
    ]);
  });

  it('a crash after the key of a household that came back was destroyed: the next run completes the erasure of its new case', async () => {
    const first = await closedCase('2024-01-10', '2024-03-01');
    await erasePersonalData(events, keys, first.householdId, ADMIN);
    const back = await closedCase('2024-05-01', '2024-06-01', first.householdId);
    await keys.destroy(first.householdId, new Date().toISOString()); // the second erasure got this far, then crashed
    expect(await completeInterruptedErasures(events, keys, ADMIN)).toEqual([
      { householdId: first.householdId, outcome: 'erased', appended: 2 },
    ]);
    expect((await events.readStream(`case-${back.caseId}`)).at(-1)?.type).toBe('PersonalDataErased');
  });

  it('old plaintext events (schema 1) of an erased household read as erased; before the erasure as they were', async () => {
    const householdId = 'household-v1';
    const caseId = 'case-v1';
    const envelope = { commandId: 'c', correlationId: 'c', userId: 'cw-anna', role: 'caseworker', recordedAt: '2023-01-10T09:00:00.000Z' };
    const received = encodeCaseEvent(
      {
        type: 'ReferralReceived',
        data: {
          caseId,
          householdId,
          receivedOn: '2023-01-10',
          referralSource: 'jobcenter',
          targetGroup: 'recommitted',
          housingSituation: 'seized_flat',
          threatCauses: [],
          adults: 1,
          children: 0,
          existingAid: [],
          consentGiven: true,
          previousCaseId: null,
          recordedBy: 'cw-anna',
        },
        personal: { household: { name: NAME, address: 'Venloer Str. 12' } },
      },
      envelope,
    );
    expect(received.metadata.schemaVersion).toBe(PLAINTEXT_SCHEMA_VERSION);
    await events.append(
      `household-${householdId}`,
      [encodeHouseholdEvent({ type: 'HouseholdCaseReserved', data: { householdId, caseId, reservedAt: envelope.recordedAt } }, envelope)],
      'no-stream',
    );
    await events.append(`case-${caseId}`, [received], 'no-stream');
    const read = async () => (await openPersonalData(await events.readStream(`case-${caseId}`), keys))[0].data as { personal: unknown };
    expect((await read()).personal).toEqual({ household: { name: NAME, address: 'Venloer Str. 12' } });
    await erasePersonalData(events, keys, householdId, ADMIN);
    expect((await read()).personal).toBeNull();
  });

  it('retention job: erases expired households only, through the erasure path; a dry run changes nothing', async () => {
    const old = await closedCase('2019-01-10', '2019-03-01');
    const recent = await closedCase('2024-01-10', '2024-03-01');
    const run = (dryRun: boolean) =>
      runRetention(events, keys, {
        now: new Date(),
        today: '2025-06-01',
        periods: { afterCloseMonths: 72, afterRejectionMonths: 12 },
        dryRun,
      });
    const head = await events.headPosition();
    const dry = await run(true);
    expect(dry.due).toEqual([{ householdId: old.householdId, expiredOn: '2025-03-01' }]);
    expect(dry.erasures).toEqual([]);
    expect(await events.headPosition()).toBe(head);
    const wet = await run(false);
    expect(wet.erasures).toEqual([{ householdId: old.householdId, outcome: 'erased', appended: 2 }]);
    expect((await keyStore.get(old.householdId))?.status).toBe('destroyed');
    expect((await keyStore.get(recent.householdId))?.status).toBe('active');
    expect((await run(false)).due).toEqual([]); // erased households are not due again
  });

  it('retention job: erases a restricted household whose period ended (a restriction keeps the data, not beyond its retention)', async () => {
    const old = await closedCase('2019-01-10', '2019-03-01');
    await restrictProcessing(events, old.householdId, { restrictedOn: '2024-05-02', reason: 'accuracy_contested' }, FACHSTELLE, settings);
    const report = await runRetention(events, keys, {
      now: new Date(),
      today: '2025-06-01',
      periods: { afterCloseMonths: 72, afterRejectionMonths: 12 },
      dryRun: false,
    });
    expect(report.due).toEqual([{ householdId: old.householdId, expiredOn: '2025-03-01' }]);
    expect(report.erasures).toEqual([{ householdId: old.householdId, outcome: 'erased', appended: 2 }]);
    expect((await keyStore.get(old.householdId))?.status).toBe('destroyed');
    // Erased on the case and the household, after their restriction marks; the projections read nothing personal.
    expect((await events.readStream(`case-${old.caseId}`)).slice(-2).map((e) => e.type)).toEqual([
      'ProcessingRestricted',
      'PersonalDataErased',
    ]);
    expect((await events.readStream(`household-${old.householdId}`)).slice(-2).map((e) => e.type)).toEqual([
      'ProcessingRestricted',
      'PersonalDataErased',
    ]);
    expect((await projectedPersonal(old.caseId)).filter((p) => p !== undefined)).toEqual([null, null, {}]); // the closure sealed nothing
  });
});
