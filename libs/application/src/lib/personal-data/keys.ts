import { parseKeyId, type DataKey, type HouseholdKey, type KeyInfo, type KeyStore } from '@wih/key-store';

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

interface Cached<T> {
  readonly value: T;
  readonly at: number;
}

const stateOf = (key: DataKey): KeyState => (key.status === 'active' ? { status: 'active', key: key.key } : { status: 'destroyed' });

/** A bounded map whose entries are used least recently first to go. */
class Lru<T> {
  private readonly entries = new Map<string, Cached<T>>();

  constructor(private readonly settings: KeyCacheSettings) {}

  /** The entry, unless `stale` says it is too old to trust. */
  get(id: string, stale: (entry: Cached<T>) => boolean): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (stale(entry)) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.set(id, entry);
    return entry.value;
  }

  set(id: string, value: T): void {
    this.entries.delete(id);
    this.entries.set(id, { value, at: this.settings.now() });
    while (this.entries.size > this.settings.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }
}

/**
 * The data keys of personal data as the application uses them: a bounded cache in front of the key
 * store, by key id for reading, by household for writing (its current key). Destroying through this
 * object drops the household's keys from its cache at once.
 */
export class PersonalDataKeys {
  private readonly byKeyId: Lru<KeyState>;
  /** The current key of a household; a destroyed one is never cached here (the household may come back). */
  private readonly current: Lru<HouseholdKey>;

  constructor(
    readonly store: KeyStore,
    private readonly settings: KeyCacheSettings = defaultKeyCacheSettings,
  ) {
    this.byKeyId = new Lru(settings);
    this.current = new Lru(settings);
  }

  /** The key to encrypt new personal data of the household with; its first is created at its first referral. */
  async forWriting(householdId: string, now: string): Promise<HouseholdKey> {
    const cached = this.current.get(householdId, (entry) => this.expired(entry));
    if (cached) return cached;
    return this.remember(householdId, await this.store.getOrCreate(householdId, now));
  }

  /** For the referral of a household that comes back after its erasure: a new key generation (KeyStore.renew). */
  async forReturning(householdId: string, now: string): Promise<HouseholdKey> {
    return this.remember(householdId, await this.store.renew(householdId, now));
  }

  /** The state of each key (by key id, the `kid` of what it sealed); ids that never had a key are absent. */
  async forReading(keyIds: Iterable<string>): Promise<Map<string, KeyState>> {
    const found = new Map<string, KeyState>();
    const missing: string[] = [];
    for (const id of new Set(keyIds)) {
      // Tombstones are cached for good: destruction is final.
      const cached = this.byKeyId.get(id, (entry) => entry.value.status === 'active' && this.expired(entry));
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    for (const [id, key] of await this.store.getMany(missing)) {
      const state = stateOf(key);
      this.byKeyId.set(id, state);
      found.set(id, state);
    }
    return found;
  }

  /** Irreversible for every key the household has had: the key store keeps tombstones, and this cache forgets the keys now. */
  async destroy(householdId: string, now: string): Promise<void> {
    this.current.delete(householdId);
    const cached = this.byKeyId.ids().filter((id) => parseKeyId(id).householdId === householdId);
    cached.forEach((id) => this.byKeyId.delete(id));
    await this.store.destroy(householdId, now);
    for (const id of new Set([householdId, ...cached])) this.byKeyId.set(id, { status: 'destroyed' });
  }

  private remember(householdId: string, key: HouseholdKey): HouseholdKey {
    this.current.set(householdId, key);
    this.byKeyId.set(key.keyId, { status: 'active', key: key.key });
    return key;
  }

  /** Another process may destroy an active key meanwhile: after activeTtlMs it is read again. */
  private expired(entry: Cached<unknown>): boolean {
    return this.settings.now() - entry.at > this.settings.activeTtlMs;
  }
}

/** The households whose latest key generation is destroyed: erased, and not come back since. */
export async function erasedHouseholds(store: KeyStore): Promise<Set<string>> {
  const latest = new Map<string, KeyInfo>();
  for (const info of await store.list()) {
    const seen = latest.get(info.householdId);
    if (!seen || info.generation > seen.generation) latest.set(info.householdId, info);
  }
  return new Set([...latest.values()].filter((info) => info.status === 'destroyed').map((info) => info.householdId));
}
