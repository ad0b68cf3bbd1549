import { KeyDestroyedError, type DataKey, type KeyStore } from '@wih/key-store';

export interface KeyCacheSettings {
  /** Entries kept (least recently used go first). */
  readonly maxEntries: number;
  /**
   * How long an active key is trusted from the cache. Another process may destroy it meanwhile;
   * after this time it is read again. Tombstones are cached for good: destruction is final.
   */
  readonly activeTtlMs: number;
  readonly now: () => number;
}

export const defaultKeyCacheSettings: KeyCacheSettings = { maxEntries: 10_000, activeTtlMs: 60_000, now: () => Date.now() };

export type KeyState = { readonly status: 'active'; readonly key: Buffer } | { readonly status: 'destroyed' };

interface Cached {
  readonly state: KeyState;
  readonly at: number;
}

const stateOf = (key: DataKey): KeyState => (key.status === 'active' ? { status: 'active', key: key.key } : { status: 'destroyed' });

/**
 * The data keys of personal data as the application uses them: a bounded cache in front of the key
 * store. Destroying through this object drops the key from its cache at once.
 */
export class PersonalDataKeys {
  private readonly cache = new Map<string, Cached>();

  constructor(readonly store: KeyStore, private readonly settings: KeyCacheSettings = defaultKeyCacheSettings) {}

  /** The key to encrypt new personal data with; created at the household's first referral. */
  async forWriting(householdId: string, now: string): Promise<Buffer> {
    const cached = this.cached(householdId);
    if (cached?.status === 'destroyed') throw new KeyDestroyedError(householdId);
    if (cached) return cached.key;
    const key = await this.store.getOrCreate(householdId, now);
    this.remember(householdId, { status: 'active', key });
    return key;
  }

  /** The state of each household's key; households that never had one are absent. */
  async forReading(householdIds: Iterable<string>): Promise<Map<string, KeyState>> {
    const found = new Map<string, KeyState>();
    const missing: string[] = [];
    for (const id of new Set(householdIds)) {
      const cached = this.cached(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    for (const [id, key] of await this.store.getMany(missing)) {
      const state = stateOf(key);
      this.remember(id, state);
      found.set(id, state);
    }
    return found;
  }

  /** Irreversible: the key store keeps a tombstone, and this cache forgets the key now. */
  async destroy(householdId: string, now: string): Promise<void> {
    this.cache.delete(householdId);
    await this.store.destroy(householdId, now);
    this.remember(householdId, { status: 'destroyed' });
  }

  private cached(id: string): KeyState | undefined {
    const entry = this.cache.get(id);
    if (!entry) return undefined;
    if (entry.state.status === 'active' && this.settings.now() - entry.at > this.settings.activeTtlMs) {
      this.cache.delete(id);
      return undefined;
    }
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.cache.delete(id);
    this.cache.set(id, entry);
    return entry.state;
  }

  private remember(id: string, state: KeyState): void {
    this.cache.delete(id);
    this.cache.set(id, { state, at: this.settings.now() });
    while (this.cache.size > this.settings.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
  }
}
