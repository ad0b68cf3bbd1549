/**
 * Data keys for personal data: one random AES-256 key per household. Destroying a key is the
 * erasure (crypto-shredding): every ciphertext under it becomes unreadable, wherever copies of the
 * events live. A destroyed key leaves a tombstone and is never handed out again. A household that
 * comes back after its erasure (a new referral under its id) gets a new key generation of its
 * own, with new material under a new key id (`renew`): what was sealed under the old key stays
 * unreadable, and nothing can be written under it again.
 */
import type { KeyWrapper } from './wrapping';

export const KEY_BYTES = 32;

/** A household's first key has the household's id; a later generation `<householdId>#<generation>`. */
export const keyIdOf = (householdId: string, generation: number): string =>
  generation === 1 ? householdId : `${householdId}#${generation}`;

/** The household and generation a key id names (a household id itself names generation 1). */
export const parseKeyId = (keyId: string): { readonly householdId: string; readonly generation: number } => {
  const at = keyId.lastIndexOf('#');
  const generation = at < 0 ? 1 : Number(keyId.slice(at + 1));
  return Number.isInteger(generation) && generation >= 2
    ? { householdId: keyId.slice(0, at), generation }
    : { householdId: keyId, generation: 1 };
};

/** The key to seal with, and its id (the `kid` of what it seals). */
export interface HouseholdKey {
  readonly keyId: string;
  readonly key: Buffer;
}

interface KeyIdentity {
  readonly keyId: string;
  readonly householdId: string;
  readonly generation: number;
}

export type DataKey =
  | (KeyIdentity & { readonly status: 'active'; readonly key: Buffer; readonly createdAt: string })
  | (KeyIdentity & { readonly status: 'destroyed'; readonly createdAt: string | null; readonly destroyedAt: string });

/** A key's record without its material (what `list` shows: safe to log and export). */
export interface KeyInfo extends KeyIdentity {
  readonly status: 'active' | 'destroyed';
  readonly createdAt: string | null;
  readonly destroyedAt: string | null;
}

export interface KeyStore {
  /** The key (or tombstone) with this id, or null when none was ever created. */
  get(keyId: string): Promise<DataKey | null>;
  /** Many at once (a batch of events of many households); missing ids are absent from the map. */
  getMany(keyIds: readonly string[]): Promise<Map<string, DataKey>>;
  /**
   * The household's current key (its latest generation), created (random, generation 1) if the
   * household has none. Concurrent calls agree on one key. Throws KeyDestroyedError when the
   * latest generation was destroyed.
   */
  getOrCreate(householdId: string, now: string): Promise<HouseholdKey>;
  /**
   * For a household that comes back after its erasure: its current key while that is active (or
   * its first, created), else a new generation (new random material, the next key id). Destroyed
   * generations stay destroyed. Concurrent calls agree on one key.
   */
  renew(householdId: string, now: string): Promise<HouseholdKey>;
  /**
   * Irreversible and idempotent: wipes the material of every generation of the household and
   * keeps tombstones (each key's first destruction time). A household that never had a key gets a
   * tombstone of its first.
   */
  destroy(householdId: string, now: string): Promise<void>;
  /** Every record (every generation) without key material, in key id order; `status` filters. */
  list(options?: { readonly status?: KeyInfo['status'] }): Promise<KeyInfo[]>;
  /**
   * Before first use (also done by every other method): checks that the stored keys are wrapped
   * under the configured key-encryption key (KeyEncryptionKeyMismatchError if not) and wraps keys
   * that earlier versions stored bare. Processes call it at start to fail early.
   */
  ready(): Promise<void>;
  /**
   * Re-wraps every active key under `to` (a new key-encryption key; keys already under it are
   * left): the rotation. Re-runnable after an interruption. Afterwards configure `to`.
   */
  rewrap(to: KeyWrapper): Promise<RewrapReport>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface RewrapReport {
  readonly rewrapped: number;
  /** Keys that were already wrapped under the new KEK (an earlier, interrupted run). */
  readonly already: number;
}

export const infoOf = (key: DataKey): KeyInfo => ({
  keyId: key.keyId,
  householdId: key.householdId,
  generation: key.generation,
  status: key.status,
  createdAt: key.createdAt,
  destroyedAt: key.status === 'destroyed' ? key.destroyedAt : null,
});

/** A key's record as stored: its key still wrapped under the KEK (null for a tombstone). */
export interface StoredKeyRecord {
  readonly keyId: string;
  readonly wrapped: Buffer | null;
  readonly createdAt: string | null;
  readonly destroyedAt: string | null;
}

export interface KeyImport {
  /** Records this store lacked, copied as they are. */
  readonly added: number;
  /** Keys active here that the records hold as destroyed: destroyed now. */
  readonly destroyed: number;
  /** Records this store already had (a resumed copy). */
  readonly unchanged: number;
}

/**
 * What a store migration needs of the key stores beyond the port (both adapters have it): the
 * records as stored, and an import that never unwraps a key, never brings back a destroyed one and
 * refuses keys wrapped under another KEK than this store's.
 */
export interface WrappedKeyCopy {
  /** Every record in key id order; bare keys of earlier versions are wrapped first (ready). */
  exportWrapped(): Promise<StoredKeyRecord[]>;
  /** Adds the records this store lacks and destroys the keys they hold as destroyed; re-runnable. */
  importWrapped(records: readonly StoredKeyRecord[]): Promise<KeyImport>;
}
