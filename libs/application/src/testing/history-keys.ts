import { openSqliteEventStore } from '@wih/event-store';
import { openSqliteKeyStore, type KeyStore } from '@wih/key-store';
import { loadHistory, type HistoryLine } from './history';

/**
 * The key material of a recorded history (test/fixtures/history-v<N>.keys.json): the data keys of
 * its synthetic households and the tombstones of the erased ones, exactly as the recorder's key
 * store held them. TEST-ONLY: the keys are derived from a fixed seed and published in the
 * repository; they protect made-up names and must never be loaded into a real deployment.
 */
export interface HistoryKeys {
  readonly note: string;
  readonly keys: readonly HistoryKey[];
}

export type HistoryKey =
  | { readonly householdId: string; readonly status: 'active'; readonly key: string; readonly createdAt: string }
  | { readonly householdId: string; readonly status: 'destroyed'; readonly destroyedAt: string };

export const HISTORY_KEYS_NOTE =
  'Test-only key material of the synthetic households of the history beside this file, derived from a fixed seed. Never use outside tests.';

/** What a key store holds, with the material of the active keys (base64). */
export async function historyKeysOf(store: KeyStore): Promise<HistoryKeys> {
  const infos = await store.list();
  const found = await store.getMany(infos.map((info) => info.householdId));
  const keys = infos.map((info): HistoryKey => {
    const key = found.get(info.householdId);
    if (key?.status === 'active') return { householdId: info.householdId, status: 'active', key: key.key.toString('base64'), createdAt: key.createdAt };
    return { householdId: info.householdId, status: 'destroyed', destroyedAt: info.destroyedAt ?? '' };
  });
  return { note: HISTORY_KEYS_NOTE, keys };
}

/** The key source a key store is opened with to take over the recorded material (see loadHistoryKeys). */
export const historyKeySource = (recorded: HistoryKeys) => (householdId: string): Buffer => {
  const key = recorded.keys.find((k) => k.householdId === householdId);
  if (key?.status !== 'active') throw new Error(`the recorded history has no active key for ${householdId}`);
  return Buffer.from(key.key, 'base64');
};

/**
 * Puts the recorded keys into a key store through its port: active keys are created (the store
 * must be opened with `historyKeySource`), tombstones by destroying.
 */
export async function loadHistoryKeys(store: KeyStore, recorded: HistoryKeys): Promise<void> {
  for (const key of recorded.keys) {
    if (key.status === 'active') await store.getOrCreate(key.householdId, key.createdAt);
    else await store.destroy(key.householdId, key.destroyedAt);
  }
}

/**
 * A data directory holding a recorded history as the embedded stores would: the events appended
 * as stored (events.sqlite) and, when the history has key material, the keys (keys.sqlite).
 * Opening the directory with the runtime's `openEventStore` / `openKeyStore` is then the
 * production read path.
 */
export async function writeHistoryDataDir(dataDir: string, lines: readonly HistoryLine[], recorded?: HistoryKeys): Promise<void> {
  const events = openSqliteEventStore(dataDir, { durability: 'normal' });
  try {
    await loadHistory(events, lines);
  } finally {
    await events.close();
  }
  if (!recorded) return;
  const keys = openSqliteKeyStore(dataDir, { newKey: historyKeySource(recorded) });
  try {
    await loadHistoryKeys(keys, recorded);
  } finally {
    await keys.close();
  }
}
