import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The stored form of an event's personal part: AES-256-GCM under the household's data key. `kid`
 * names the key (the household id), so a reader needs no other lookup. The additional data binds
 * the ciphertext to its event (type and id): a blob copied into another event does not open.
 */
export interface SealedPersonal {
  readonly alg: 'A256GCM';
  readonly kid: string;
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
}

const ALG = 'aes-256-gcm';
const IV_BYTES = 12;
/** GCM's full tag. Node.js would otherwise accept any tag of 4 to 16 bytes, and a 4-byte tag is forged in about 2^32 tries. */
const TAG_BYTES = 16;

export const isSealed = (value: unknown): value is SealedPersonal =>
  value !== null &&
  typeof value === 'object' &&
  (value as { alg?: unknown }).alg === 'A256GCM' &&
  typeof (value as { kid?: unknown }).kid === 'string' &&
  typeof (value as { ct?: unknown }).ct === 'string';

/** What the ciphertext is bound to. */
export const additionalData = (eventType: string, eventId: string): Buffer => Buffer.from(`${eventType}\n${eventId}`, 'utf8');

export function seal(personal: unknown, kid: string, key: Buffer, aad: Buffer): SealedPersonal {
  // A fresh random 96-bit IV per event: with one key per household, far below GCM's 2^32 limit.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALG, key, iv, { authTagLength: TAG_BYTES }).setAAD(aad);
  const ct = Buffer.concat([cipher.update(JSON.stringify(personal), 'utf8'), cipher.final()]);
  return { alg: 'A256GCM', kid, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
}

/** The plaintext, or null when it does not open under this key and data (wrong key, tampered, swapped). */
export function open(sealed: SealedPersonal, key: Buffer, aad: Buffer): Record<string, unknown> | null {
  try {
    const tag = Buffer.from(sealed.tag, 'base64');
    if (tag.length !== TAG_BYTES) return null;
    const decipher = createDecipheriv(ALG, key, Buffer.from(sealed.iv, 'base64'), { authTagLength: TAG_BYTES }).setAAD(aad);
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}
