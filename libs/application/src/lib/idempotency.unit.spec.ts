import type { RecordedEvent } from '@wih/event-store';
import { createHash, randomBytes } from 'node:crypto';
import { IdempotencyKeyReusedError } from './errors';
import { canonicalJson, confirmPersonal, findReplay, idempotencyRecord, storedIdempotency } from './idempotency';

const request = (name: string, adults = 1) => ({
  method: 'POST',
  path: '/api/cases',
  body: { adults, household: { name, address: 'Weg 1' }, notes: 'Notiz' },
});
const eventWith = (idempotency: unknown) => ({ revision: 0, metadata: { idempotency } }) as unknown as RecordedEvent;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('idempotency records (decision 0004)', () => {
  it('keeps the personal fields out of the stored fingerprint and binds them with an HMAC under the household key', () => {
    const dataKey = randomBytes(32);
    const record = idempotencyRecord('anna', 'k-1', request('Familie Eins'));
    const stored = storedIdempotency(record, dataKey);
    expect(Object.keys(stored).sort()).toEqual(['fingerprint', 'key', 'personal']);
    expect(JSON.stringify(stored)).not.toContain('Familie');
    expect(stored.fingerprint).toBe(idempotencyRecord('anna', 'k-1', request('Familie Zwei')).fingerprint);
    expect(stored.fingerprint).not.toBe(sha256(canonicalJson(request('Familie Eins'))));
    expect(storedIdempotency(idempotencyRecord('anna', 'k-1', request('Familie Zwei')), dataKey).personal).not.toBe(stored.personal);
    expect(storedIdempotency(record, randomBytes(32)).personal).not.toBe(stored.personal);
  });

  it("keeps a help plan's goal wording out of the fingerprint like notes, the goals' facts in it", () => {
    const plan = (wording: string, area = 'housing') => ({
      method: 'POST',
      path: '/api/cases/c1/help-plan',
      body: { agreedOn: '2025-02-01', goals: [{ area, actor: 'household', reviewOn: '2025-03-01', wording }] },
    });
    const dataKey = randomBytes(32);
    const record = idempotencyRecord('anna', 'k-1', plan('Mietschulden bei der GAG abbauen'));
    const stored = storedIdempotency(record, dataKey);
    expect(JSON.stringify(stored)).not.toContain('GAG');
    expect(stored.fingerprint).toBe(idempotencyRecord('anna', 'k-1', plan('anders formuliert')).fingerprint);
    expect(stored.fingerprint).not.toBe(idempotencyRecord('anna', 'k-1', plan('Mietschulden bei der GAG abbauen', 'health')).fingerprint);
    expect(stored.personal).toBeDefined();
    expect(storedIdempotency(idempotencyRecord('anna', 'k-1', plan('anders formuliert')), dataKey).personal).not.toBe(stored.personal);
  });

  it('compares with the personal fields while the key exists, with the facts alone once it is destroyed', async () => {
    const dataKey = randomBytes(32);
    const first = eventWith(storedIdempotency(idempotencyRecord('anna', 'k-1', request('Familie Eins')), dataKey));
    const same = idempotencyRecord('anna', 'k-1', request('Familie Eins'));
    const renamed = idempotencyRecord('anna', 'k-1', request('Familie Zwei'));
    expect(findReplay([first], same)).toBe(first);
    await expect(confirmPersonal(first, same, async () => dataKey)).resolves.toBeUndefined();
    expect(findReplay([first], renamed)).toBe(first);
    await expect(confirmPersonal(first, renamed, async () => dataKey)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(confirmPersonal(first, renamed, async () => null)).resolves.toBeUndefined();
    expect(() => findReplay([first], idempotencyRecord('anna', 'k-1', request('Familie Eins', 2)))).toThrow(IdempotencyKeyReusedError);
  });

  it('still matches records written before v2 (the whole request hashed), as recorded histories hold them', async () => {
    const legacy = eventWith({ key: sha256('anna\nk-1'), fingerprint: sha256(canonicalJson(request('Familie Eins'))) });
    const same = idempotencyRecord('anna', 'k-1', request('Familie Eins'));
    expect(findReplay([legacy], same)).toBe(legacy);
    await expect(confirmPersonal(legacy, same, async () => randomBytes(32))).resolves.toBeUndefined();
    expect(() => findReplay([legacy], idempotencyRecord('anna', 'k-1', request('Familie Zwei')))).toThrow(IdempotencyKeyReusedError);
    expect(findReplay([legacy], idempotencyRecord('anna', 'k-2', request('Familie Eins')))).toBeNull();
  });
});
