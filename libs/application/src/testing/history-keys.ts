import { openSqliteEventStore } from '@wih/event-store';
import { openSqliteKeyStore, parseKeyId, type KeyStore } from '@wih/key-store';
import { randomBytes } from 'node:crypto';
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

/** `householdId` is the key's id (keyIdOf): the household's own id for its first key. */
export type HistoryKey =
  | { readonly householdId: string; readonly status: 'active'; readonly key: string; readonly createdAt: string }
  | { readonly householdId: string; readonly status: 'destroyed'; readonly destroyedAt: string };

export const HISTORY_KEYS_NOTE =
  'Test-only key material of the synthetic households of the history beside this file, derived from a fixed seed. Never use outside tests.';

/** What a key store holds, with the material of the active keys (base64). */
export async function historyKeysOf(store: KeyStore): Promise<HistoryKeys> {
  const infos = await store.list();
  const found = await store.getMany(infos.map((info) => info.keyId));
  const keys = infos.map((info): HistoryKey => {
    const key = found.get(info.keyId);
    if (key?.status === 'active')
      return { householdId: info.keyId, status: 'active', key: key.key.toString('base64'), createdAt: key.createdAt };
    return { householdId: info.keyId, status: 'destroyed', destroyedAt: info.destroyedAt ?? '' };
  });
  return { note: HISTORY_KEYS_NOTE, keys };
}

/** The key source a key store is opened with to take over the recorded material (see loadHistoryKeys). */
export const historyKeySource =
  (recorded: HistoryKeys) =>
  (keyId: string): Buffer => {
    const key = recorded.keys.find((k) => k.householdId === keyId);
    // A later generation recorded destroyed is created (renewal) and destroyed again at once: any material stands in.
    if (key?.status === 'destroyed' && parseKeyId(keyId).generation > 1) return randomBytes(32);
    if (key?.status !== 'active') throw new Error(`the recorded history has no active key for ${keyId}`);
    return Buffer.from(key.key, 'base64');
  };

/**
 * Puts the recorded keys into a key store through its port, each household's generations in
 * order: active keys are created (the store must be opened with `historyKeySource`), later
 * generations by renewal, tombstones by destroying.
 */
export async function loadHistoryKeys(store: KeyStore, recorded: HistoryKeys): Promise<void> {
  const inOrder = [...recorded.keys].sort((a, b) => parseKeyId(a.householdId).generation - parseKeyId(b.householdId).generation);
  for (const key of inOrder) {
    const { householdId, generation } = parseKeyId(key.householdId);
    const at = key.status === 'active' ? key.createdAt : key.destroyedAt;
    if (generation > 1) await store.renew(householdId, at);
    else if (key.status === 'active') await store.getOrCreate(householdId, at);
    if (key.status === 'destroyed') await store.destroy(householdId, at);
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
