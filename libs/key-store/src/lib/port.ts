/**
 * Data keys for personal data: one random AES-256 key per household. Destroying a key is the
 * erasure (crypto-shredding): every ciphertext under it becomes unreadable, wherever copies of the
 * events live. A destroyed key leaves a tombstone, so the household can never silently get a new
 * key and have fresh personal data written under its old id.
 */
import type { KeyWrapper } from './wrapping';

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
  householdId: key.householdId,
  status: key.status,
  createdAt: key.createdAt,
  destroyedAt: key.status === 'destroyed' ? key.destroyedAt : null,
});
