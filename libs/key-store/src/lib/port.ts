/**
 * Data keys for personal data: one random AES-256 key per household. Destroying a key is the
 * erasure (crypto-shredding): every ciphertext under it becomes unreadable, wherever copies of the
 * events live. A destroyed key leaves a tombstone, so the household can never silently get a new
 * key and have fresh personal data written under its old id.
 */
export const KEY_BYTES = 32;

export type DataKey =
  | { readonly householdId: string; readonly status: 'active'; readonly key: Buffer; readonly createdAt: string }
  | { readonly householdId: string; readonly status: 'destroyed'; readonly createdAt: string | null; readonly destroyedAt: string };

/** A key's record without its material (what `list` shows: safe to log and export). */
export interface KeyInfo {
  readonly householdId: string;
  readonly status: 'active' | 'destroyed';
  readonly createdAt: string | null;
  readonly destroyedAt: string | null;
}

export interface KeyStore {
  /** The household's key (or tombstone), or null when none was ever created. */
  get(householdId: string): Promise<DataKey | null>;
  /** Many at once (a batch of events of many households); missing ids are absent from the map. */
  getMany(householdIds: readonly string[]): Promise<Map<string, DataKey>>;
  /**
   * The active key, created (random) if the household has none. Concurrent calls agree on one key.
   * Throws KeyDestroyedError when the key was destroyed.
   */
  getOrCreate(householdId: string, now: string): Promise<Buffer>;
  /**
   * Irreversible and idempotent: wipes the key material and keeps a tombstone (the first
   * destruction's time). Destroying a key that never existed leaves a tombstone too.
   */
  destroy(householdId: string, now: string): Promise<void>;
  /** Every record without key material, in householdId order; `status` filters. */
  list(options?: { readonly status?: KeyInfo['status'] }): Promise<KeyInfo[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const infoOf = (key: DataKey): KeyInfo => ({
  householdId: key.householdId,
  status: key.status,
  createdAt: key.createdAt,
  destroyedAt: key.status === 'destroyed' ? key.destroyedAt : null,
});
