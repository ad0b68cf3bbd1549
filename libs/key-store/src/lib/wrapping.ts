import { readOrCreatePrivateFile } from '@wih/event-store';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_BYTES, type StoredKeyRecord } from './port';

/**
 * Every data key is stored wrapped (encrypted) under a key-encryption key (KEK) that lives outside
 * the key store, so a copy of the key store alone (a backup, a dump, a stolen file) opens nothing.
 * This is the seam for a KMS or HSM: an adapter that calls its Encrypt/Decrypt (or wraps locally
 * with a key it hands out) implements the same interface; the stores never see the KEK itself.
 */
export interface KeyWrapper {
  /** Names the KEK (never derived reversibly from it): stored with every wrapped key. */
  readonly id: string;
  /** The wrapped form of `key`, bound to its household (a wrapped key moved to another household does not open). */
  wrap(householdId: string, key: Buffer): Promise<Buffer>;
  /** The data key, or an error when `wrapped` does not open (damaged, or another household's). */
  unwrap(householdId: string, wrapped: Buffer): Promise<Buffer>;
}

/** The key store's keys were wrapped under another KEK than the one configured. */
export class KeyEncryptionKeyMismatchError extends Error {
  constructor(
    readonly storedId: string,
    readonly configuredId: string,
  ) {
    super(
      `the data keys are wrapped with key-encryption key ${storedId}, but the configured one is ${configuredId}: ` +
        'set KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_FILE to the key they were wrapped with (after a rotation: finish `npm run cli -- keys rewrap`)',
    );
    this.name = 'KeyEncryptionKeyMismatchError';
  }
}

/** A stored key that does not unwrap under the right KEK: damaged or moved. */
export class WrappedKeyDamagedError extends Error {
  constructor(readonly householdId: string) {
    super(`the wrapped data key of household ${householdId} does not open: it is damaged or belongs to another household`);
    this.name = 'WrappedKeyDamagedError';
  }
}

/**
 * The stored form: `WK1`, the KEK id's length and the id (UTF-8), then the wrapper's own bytes.
 * Earlier versions stored the bare 32-byte key; it is told apart by its length (a wrapped key is
 * always longer) and still read.
 */
const MAGIC = Buffer.from('WK1', 'latin1');

export const isUnwrapped = (stored: Buffer): boolean => stored.length === KEY_BYTES;

export const encodeWrapped = (kekId: string, payload: Buffer): Buffer => {
  const id = Buffer.from(kekId, 'utf8');
  if (id.length === 0 || id.length > 255) throw new RangeError('a key-encryption key id has 1 to 255 bytes');
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id, payload]);
};

export const decodeWrapped = (stored: Buffer): { kekId: string; payload: Buffer } | null => {
  if (stored.length < MAGIC.length + 2 || !stored.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const length = stored[MAGIC.length];
  const start = MAGIC.length + 1;
  return { kekId: stored.subarray(start, start + length).toString('utf8'), payload: stored.subarray(start + length) };
};

/** What a store keeps for a new key. */
export const storedFormOf = async (wrapper: KeyWrapper, householdId: string, key: Buffer): Promise<Buffer> =>
  encodeWrapped(wrapper.id, await wrapper.wrap(householdId, key));

/** The data key of a stored form: unwrapped, or as stored by an earlier version. */
export const keyOfStoredForm = async (wrapper: KeyWrapper, householdId: string, stored: Buffer): Promise<Buffer> => {
  if (isUnwrapped(stored)) return stored;
  const decoded = decodeWrapped(stored);
  if (!decoded) throw new WrappedKeyDamagedError(householdId);
  if (decoded.kekId !== wrapper.id) throw new KeyEncryptionKeyMismatchError(decoded.kekId, wrapper.id);
  return wrapper.unwrap(householdId, decoded.payload);
};

/** The KEK id a stored form names, or null for a key stored unwrapped. */
export const kekIdOfStoredForm = (stored: Buffer): string | null => decodeWrapped(stored)?.kekId ?? null;

/** Imported keys must be wrapped under this store's KEK: one store never holds keys under two (nothing imported otherwise). */
export const assertWrappedUnder = (wrapper: KeyWrapper, records: readonly StoredKeyRecord[]): void => {
  for (const record of records) {
    const kekId = record.wrapped === null ? wrapper.id : kekIdOfStoredForm(record.wrapped);
    if (kekId !== wrapper.id) throw new KeyEncryptionKeyMismatchError(kekId ?? 'none (a bare key)', wrapper.id);
  }
};

export const KEK_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A KEK's id: the start of a hash with a purpose label, so it names the key without revealing it. */
export const kekIdOf = (kek: Buffer): string =>
  `local:${createHash('sha256').update('wih key-encryption key id\n').update(kek).digest('hex').slice(0, 16)}`;

/** Wraps with a 256-bit KEK held in this process: AES-256-GCM, the household id as additional data. */
export class LocalKeyWrapper implements KeyWrapper {
  readonly id: string;

  constructor(private readonly kek: Buffer) {
    if (kek.length !== KEK_BYTES) throw new RangeError(`a key-encryption key has ${KEK_BYTES} bytes`);
    this.id = kekIdOf(kek);
  }

  async wrap(householdId: string, key: Buffer): Promise<Buffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv, { authTagLength: TAG_BYTES }).setAAD(Buffer.from(householdId, 'utf8'));
    const ct = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ct]);
  }

  async unwrap(householdId: string, wrapped: Buffer): Promise<Buffer> {
    try {
      if (wrapped.length !== IV_BYTES + TAG_BYTES + KEY_BYTES) throw new RangeError('length');
      const decipher = createDecipheriv('aes-256-gcm', this.kek, wrapped.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES }).setAAD(
        Buffer.from(householdId, 'utf8'),
      );
      decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new WrappedKeyDamagedError(householdId);
    }
  }
}

/** A KEK as the operator writes it (base64 of 32 bytes, in KEY_ENCRYPTION_KEY or a file). */
export const parseKeyEncryptionKey = (text: string, origin: string): Buffer => {
  const trimmed = text.trim();
  const kek = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || kek.length !== KEK_BYTES) {
    throw new RangeError(
      `${origin} must hold a key-encryption key: ${KEK_BYTES} random bytes in base64 (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  return kek;
};

/** The KEK file the embedded default generates on first start (outside production only). */
export const GENERATED_KEK_FILE = 'key-encryption.key';

/** The KEK in `file`, generated there (0600) first when `generate` and the file is missing. */
export const keyEncryptionKeyFromFile = (file: string, generate: boolean): Buffer => {
  let text: string;
  try {
    text = generate ? readOrCreatePrivateFile(file, () => `${randomBytes(KEK_BYTES).toString('base64')}\n`) : readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') throw new RangeError(`the key-encryption key file ${file} does not exist`);
    throw error;
  }
  return parseKeyEncryptionKey(text, `the key-encryption key file ${file}`);
};

/** The development default: `key-encryption.key` in the data directory, generated on first use. */
export const generatedKeyWrapper = (dataDir: string): LocalKeyWrapper =>
  new LocalKeyWrapper(keyEncryptionKeyFromFile(join(dataDir, GENERATED_KEK_FILE), true));
