/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import type { OutboxDraft } from './commands';
import { outboxCommandOf } from './commands';
import { flushOutbox } from './send';
import { clearOutbox, closeOutboxDatabase, Outbox } from './store';
import { stubFetch, type SentRequest } from '../testing/fetch';

/** The outbox on a real IndexedDB (fake-indexeddb in jsdom), sent through the real client against a fetch that answers as the API does. */
const CASE_A = '0b7f6c8e-1111-4222-8333-444455556666';
const CASE_B = '1c8f6c8e-1111-4222-8333-444455556666';
const NOTES = 'Frau Beispiel berichtet von der Räumungsklage';

const visit = (caseId: string, revision: number, key: string, notes = NOTES): OutboxDraft => ({
  kind: 'visit',
  path: `/api/cases/${caseId}/visits`,
  caseId,
  body: { visitedOn: '2025-03-01', householdMet: true, concerns: ['tenancy'], notes },
  expectedRevision: revision,
  idempotencyKey: key,
  writtenAt: '2025-03-01T09:00:00.000Z',
});

let sent: SentRequest[];
let answers: (Response | Error)[];
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' },
  });
const answer = (caseId: string, revision: number) => json(200, { caseId, revision, position: String(100 + revision) });

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  closeOutboxDatabase();
  ({ sent, answers } = stubFetch());
});

/** The records exactly as IndexedDB holds them. */
async function raw() {
  const db = await openDB('wih-outbox');
  const result = { entries: await db.getAll('entries'), keys: await db.getAll('keys') };
  db.close();
  return result;
}

describe('which commands wait in the outbox', () => {
  it('takes visits, mediations, goal reviews and activities, and nothing else', () => {
    expect(outboxCommandOf(`/api/cases/${CASE_A}/visits`)).toEqual({ kind: 'visit', caseId: CASE_A });
    expect(outboxCommandOf(`/api/cases/${CASE_A}/mediations`)?.kind).toBe('mediation');
    expect(outboxCommandOf(`/api/cases/${CASE_A}/goal-reviews`)?.kind).toBe('goal-review');
    expect(outboxCommandOf('/api/activities')).toEqual({ kind: 'activity', caseId: null });
    for (const other of ['closure', 'housing-secured', 'approval', 'help-plan', 'household-details'])
      expect(outboxCommandOf(`/api/cases/${CASE_A}/${other}`)).toBeNull();
    expect(outboxCommandOf('/api/cases')).toBeNull();
  });
});

describe('the outbox', () => {
  it('sends its entries in the order they were written, each with the Idempotency-Key it got then', async () => {
    const outbox = await Outbox.open('anna');
    await outbox.add(visit(CASE_A, 3, 'key-1'));
    await outbox.add(visit(CASE_B, 7, 'key-2'));
    await outbox.add({
      kind: 'activity',
      path: '/api/activities',
      caseId: null,
      body: { on: '2025-03-01', kind: 'network_meeting', partnerKinds: [], district: 'innenstadt', hours: 2, participants: 5 },
      expectedRevision: null,
      idempotencyKey: 'key-3',
      writtenAt: '2025-03-01T10:00:00.000Z',
    });
    answers.push(answer(CASE_A, 4), answer(CASE_B, 8), json(201, { activityId: 'x', revision: 0, position: '200' }));

    const result = await flushOutbox(outbox);

    expect(sent.map((s) => [s.url, s.headers['idempotency-key'], s.headers['if-match']])).toEqual([
      [`/api/cases/${CASE_A}/visits`, 'key-1', '"3"'],
      [`/api/cases/${CASE_B}/visits`, 'key-2', '"7"'],
      ['/api/activities', 'key-3', undefined],
    ]);
    expect(sent[0]?.body).toEqual({ visitedOn: '2025-03-01', householdMet: true, concerns: ['tenancy'], notes: NOTES });
    expect(result.sent).toHaveLength(3);
    expect(await outbox.list()).toEqual([]);
  });

  it('keeps an entry that got no answer, in its place, and sends it again with the same key', async () => {
    const outbox = await Outbox.open('anna');
    await outbox.add(visit(CASE_A, 3, 'key-1'));
    await outbox.add(visit(CASE_B, 7, 'key-2'));
    answers.push(new TypeError('Failed to fetch'));

    const first = await flushOutbox(outbox);
    expect(first.stoppedBy).not.toBeNull();
    expect(sent).toHaveLength(1); // the second does not overtake the first
    expect((await outbox.list()).map((e) => [e.idempotencyKey, e.state])).toEqual([
      ['key-1', 'waiting'],
      ['key-2', 'waiting'],
    ]);

    answers.push(json(503, { status: 503, code: 'unavailable' }));
    await flushOutbox(outbox);
    expect((await outbox.list()).map((e) => e.state)).toEqual(['waiting', 'waiting']);

    answers.push(answer(CASE_A, 4), answer(CASE_B, 8));
    await flushOutbox(outbox);
    expect(sent.map((s) => s.headers['idempotency-key'])).toEqual(['key-1', 'key-1', 'key-1', 'key-2']);
    expect(await outbox.list()).toEqual([]);
  });

  it('sends a second entry written at the same revision of the case at the revision the first one produced', async () => {
    const outbox = await Outbox.open('anna');
    await outbox.add(visit(CASE_A, 3, 'key-1'));
    await outbox.add(visit(CASE_A, 3, 'key-2'));
    answers.push(answer(CASE_A, 4), answer(CASE_A, 5));
    await flushOutbox(outbox);
    expect(sent.map((s) => s.headers['if-match'])).toEqual(['"3"', '"4"']);
  });

  it('gives refusals back with the entry kept, and goes on with the others; a 412 stays a 412', async () => {
    const outbox = await Outbox.open('anna');
    await outbox.add(visit(CASE_A, 3, 'key-1'));
    await outbox.add(visit(CASE_B, 7, 'key-2'));
    await outbox.add(visit(CASE_A, 9, 'key-3'));
    answers.push(
      json(409, { status: 409, code: 'invalid-state', title: 'Conflict' }),
      json(412, { status: 412, code: 'stale-revision', title: 'Precondition Failed' }),
      json(422, { status: 422, code: 'idempotency-key-reused', title: 'Unprocessable' }),
    );

    const result = await flushOutbox(outbox);

    expect(sent).toHaveLength(3);
    expect(result.refused.map((e) => e.refusal?.status)).toEqual([409, 412, 422]);
    const kept = await outbox.list();
    expect(kept.map((e) => [e.idempotencyKey, e.state, e.refusal?.code, e.expectedRevision])).toEqual([
      ['key-1', 'refused', 'invalid-state', 3],
      ['key-2', 'refused', 'stale-revision', 7],
      ['key-3', 'refused', 'idempotency-key-reused', 9],
    ]);
    expect(kept[0]?.body).toEqual(visit(CASE_A, 3, 'key-1').body); // what was typed, for correcting

    // Refused entries are not sent again by themselves.
    await flushOutbox(outbox);
    expect(sent).toHaveLength(3);
  });

  it('holds no plaintext at rest: one AES-GCM ciphertext per entry under a key that cannot be exported', async () => {
    const outbox = await Outbox.open('anna');
    await outbox.add(visit(CASE_A, 3, 'key-secret-1'));
    const { entries, keys } = await raw();

    expect(entries).toHaveLength(1);
    const record = entries[0] as Record<string, unknown>;
    expect(Object.keys(record).sort()).toEqual(['iv', 'owner', 'sealed', 'seq', 'state']);
    const bytes = new Uint8Array(record.sealed as ArrayBuffer);
    const asText = new TextDecoder('utf-8', { fatal: false }).decode(bytes) + JSON.stringify(record);
    for (const plain of [NOTES, 'Räumungsklage', CASE_A, 'key-secret-1', 'visitedOn', '2025-03-01', 'tenancy'])
      expect(asText).not.toContain(plain);

    expect(keys).toHaveLength(1);
    const key = (keys[0] as { key: CryptoKey }).key;
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toEqual({ name: 'AES-GCM', length: 256 });
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    // Read back through the outbox, it is what was written.
    expect((await outbox.list())[0]?.body).toEqual(visit(CASE_A, 3, 'k').body);
  });

  it('is cleared on sign-out: no entry, no key; a copy of an old record stays unreadable', async () => {
    const outbox = await Outbox.open('anna');
    await outbox.add(visit(CASE_A, 3, 'key-1'));
    const copy = (await raw()).entries[0] as Record<string, unknown>;

    await clearOutbox();
    expect(await raw()).toEqual({ entries: [], keys: [] });

    // Signed in again: a new key. The old ciphertext, put back, cannot be opened and is dropped.
    const again = await Outbox.open('anna');
    await again.add(visit(CASE_B, 1, 'key-2', 'neu'));
    const db = await openDB('wih-outbox');
    await db.put('entries', { ...copy, seq: 999 } as never);
    db.close();
    expect((await again.list()).map((e) => e.idempotencyKey)).toEqual(['key-2']);
    expect((await raw()).entries).toHaveLength(1);
  });

  it("belongs to one user: another sign-in on this device removes the previous user's entries and key", async () => {
    const anna = await Outbox.open('anna');
    await anna.add(visit(CASE_A, 3, 'key-1'));
    const ben = await Outbox.open('ben');
    expect(await ben.list()).toEqual([]);
    const { entries, keys } = await raw();
    expect(entries).toEqual([]);
    expect(keys.map((k) => (k as { owner: string }).owner)).toEqual([]);
  });
});
