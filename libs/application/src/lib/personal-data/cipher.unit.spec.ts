import { randomBytes } from 'node:crypto';
import { additionalData, isSealed, open, seal } from './cipher';

const KEY = randomBytes(32);
const PERSONAL = { household: { name: 'Familie Öztürk', address: 'Venloer Str. 12, 50672 Köln' }, notes: 'Räumungsklage' };

describe('personal-data cipher (AES-256-GCM)', () => {
  it('seals into base64 fields that name the key, and opens back to the same object', () => {
    const sealed = seal(PERSONAL, 'hh-1', KEY, additionalData('ReferralReceived', 'ev-1'));
    expect(sealed).toEqual({ alg: 'A256GCM', kid: 'hh-1', iv: expect.any(String), tag: expect.any(String), ct: expect.any(String) });
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(JSON.stringify(sealed)).not.toContain('Öztürk');
    expect(isSealed(sealed)).toBe(true);
    expect(open(sealed, KEY, additionalData('ReferralReceived', 'ev-1'))).toEqual(PERSONAL);
  });

  it('draws a fresh IV per event: the same plaintext never gives the same ciphertext', () => {
    const aad = additionalData('HomeVisitRecorded', 'ev-1');
    const [a, b] = [seal(PERSONAL, 'hh-1', KEY, aad), seal(PERSONAL, 'hh-1', KEY, aad)];
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it('does not open in another event (swapped blob), under another key, or when tampered with', () => {
    const sealed = seal(PERSONAL, 'hh-1', KEY, additionalData('HomeVisitRecorded', 'ev-1'));
    expect(open(sealed, KEY, additionalData('HomeVisitRecorded', 'ev-2'))).toBeNull();
    expect(open(sealed, KEY, additionalData('HelpMediated', 'ev-1'))).toBeNull();
    expect(open(sealed, randomBytes(32), additionalData('HomeVisitRecorded', 'ev-1'))).toBeNull();
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[0] ^= 1;
    expect(open({ ...sealed, ct: ct.toString('base64') }, KEY, additionalData('HomeVisitRecorded', 'ev-1'))).toBeNull();
  });

  it('refuses a shortened or lengthened authentication tag (GCM would otherwise accept a 4-byte tag)', () => {
    const aad = additionalData('HomeVisitRecorded', 'ev-1');
    const sealed = seal(PERSONAL, 'hh-1', KEY, aad);
    const tag = Buffer.from(sealed.tag, 'base64');
    for (const length of [4, 8, 12, 15]) {
      expect(open({ ...sealed, tag: tag.subarray(0, length).toString('base64') }, KEY, aad)).toBeNull();
    }
    expect(open({ ...sealed, tag: Buffer.concat([tag, Buffer.alloc(1)]).toString('base64') }, KEY, aad)).toBeNull();
    expect(open(sealed, KEY, aad)).toEqual(PERSONAL);
  });

  it('tells a sealed part from plaintext (schema 1)', () => {
    expect(isSealed(PERSONAL)).toBe(false);
    expect(isSealed({ notes: 'x' })).toBe(false);
    expect(isSealed(null)).toBe(false);
  });
});
