import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxDraft, OutboxEntry, Refusal } from './commands';

/**
 * The outbox in IndexedDB (decision 0040). A record at rest holds its order, its owner (the
 * signed-in user id), its state, and one AES-GCM ciphertext of everything the caseworker wrote:
 * path, case, body, revision, key, time and, once refused, the refusal. The key is a
 * non-extractable WebCrypto key of this sign-in: kept in memory, and as a CryptoKey object (never
 * its bytes) in the same database so that a reload can still read the outbox. Signing out deletes
 * both stores.
 */
const DB_NAME = 'wih-outbox';

interface StoredEntry {
  seq?: number;
  owner: string;
  state: OutboxEntry['state'];
  iv: Uint8Array<ArrayBuffer>;
  sealed: ArrayBuffer;
}

interface OutboxDb extends DBSchema {
  entries: { key: number; value: StoredEntry };
  keys: { key: string; value: { owner: string; key: CryptoKey } };
}

/** What the ciphertext holds. */
type Sealed = OutboxDraft & { refusal: Refusal | null };

let database: Promise<IDBPDatabase<OutboxDb>> | null = null;
const db = () =>
  (database ??= openDB<OutboxDb>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('entries', { keyPath: 'seq', autoIncrement: true });
      d.createObjectStore('keys', { keyPath: 'owner' });
    },
  }));

/** The key of the current sign-in, in memory; the stored CryptoKey only serves a reload. */
let memoryKey: { owner: string; key: CryptoKey } | null = null;

async function keyOf(owner: string): Promise<CryptoKey> {
  if (memoryKey?.owner === owner) return memoryKey.key;
  const d = await db();
  const stored = await d.get('keys', owner);
  // Non-extractable: no script (ours or an injected one) can read its bytes, only use it here.
  const key = stored?.key ?? (await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']));
  if (!stored) await d.put('keys', { owner, key });
  memoryKey = { owner, key };
  return key;
}

const additionalData = (owner: string) => new TextEncoder().encode(`wih-outbox\n${owner}`);

async function seal(owner: string, content: Sealed): Promise<{ iv: Uint8Array<ArrayBuffer>; sealed: ArrayBuffer }> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(content));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(owner) }, await keyOf(owner), plain);
  return { iv, sealed };
}

async function open(owner: string, record: StoredEntry): Promise<Sealed | null> {
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: record.iv, additionalData: additionalData(owner) },
      await keyOf(owner),
      record.sealed,
    );
    return JSON.parse(new TextDecoder().decode(plain)) as Sealed;
  } catch {
    return null; // written under a key that is gone: unreadable, never sent
  }
}

/** One user's outbox. Another user's entries on this device are deleted when it is opened. */
export class Outbox {
  private constructor(readonly owner: string) {}

  static async open(owner: string): Promise<Outbox> {
    const d = await db();
    const tx = d.transaction(['entries', 'keys'], 'readwrite');
    for (const record of await tx.objectStore('entries').getAll())
      if (record.owner !== owner && record.seq !== undefined) await tx.objectStore('entries').delete(record.seq);
    for (const stored of await tx.objectStore('keys').getAll())
      if (stored.owner !== owner) await tx.objectStore('keys').delete(stored.owner);
    await tx.done;
    if (memoryKey && memoryKey.owner !== owner) memoryKey = null;
    return new Outbox(owner);
  }

  async add(draft: OutboxDraft): Promise<OutboxEntry> {
    const content: Sealed = { ...draft, refusal: null };
    const seq = await (await db()).add('entries', { owner: this.owner, state: 'waiting', ...(await seal(this.owner, content)) });
    return { ...content, seq, state: 'waiting' };
  }

  /** Every entry, in order. Unreadable ones (a key that is gone) are removed. */
  async list(): Promise<OutboxEntry[]> {
    const d = await db();
    const entries: OutboxEntry[] = [];
    for (const record of await d.getAll('entries')) {
      if (record.owner !== this.owner || record.seq === undefined) continue;
      const content = await open(this.owner, record);
      if (content) entries.push({ ...content, seq: record.seq, state: record.state });
      else await d.delete('entries', record.seq);
    }
    return entries.sort((a, b) => a.seq - b.seq);
  }

  /** Writes an entry again (its state, its refusal, a revision moved on), encrypted afresh. */
  async update(entry: OutboxEntry): Promise<void> {
    const { seq, state, ...content } = entry;
    await (await db()).put('entries', { seq, owner: this.owner, state, ...(await seal(this.owner, content)) });
  }

  async remove(seq: number): Promise<void> {
    await (await db()).delete('entries', seq);
  }
}

/** Sign-out: every entry and every key on this device, and the key in memory. */
export async function clearOutbox(): Promise<void> {
  memoryKey = null;
  const d = await db();
  const tx = d.transaction(['entries', 'keys'], 'readwrite');
  await Promise.all([tx.objectStore('entries').clear(), tx.objectStore('keys').clear(), tx.done]);
}

/** Tests: forget the open connection (a fresh fake IndexedDB follows). */
export function closeOutboxDatabase(): void {
  void database?.then((d) => d.close());
  database = null;
  memoryKey = null;
}
