import { openSqliteAccessLog } from '@wih/access-log';
import {
  defaultHandlerSettings,
  erasePersonalData,
  openPersonalData,
  PersonalDataKeys,
  receiveReferral,
  type Actor,
} from '@wih/application';
import { businessDateOf } from '@wih/domain';
import { openSqliteEventStore, type NewEvent, type RecordedEvent } from '@wih/event-store';
import { generatedKeyWrapper, openSqliteKeyStore } from '@wih/key-store';
import { openSqliteReadStore } from '@wih/read-store';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupCommands, inUse, takeBackup, type Manifest } from './backup';

/** A non-personal event outside the case streams (as the smoke test writes). */
const tick = (n: number): NewEvent => ({
  id: randomUUID(),
  type: 'Tick',
  data: { n },
  metadata: {
    commandId: randomUUID(),
    correlationId: randomUUID(),
    userId: 'ops',
    role: 'admin',
    businessDate: '2026-03-01',
    recordedAt: '2026-03-01T09:00:00.000Z',
    schemaVersion: 1,
  },
});
const CASEWORKER: Actor = { userId: 'anna', role: 'caseworker' };
const ADMIN: Actor = { userId: 'ops', role: 'admin' };

/** A referral with personal data, written through the handlers with the data directory's keys; its household id. */
async function refer(dataDir: string, name: string): Promise<string> {
  const events = openSqliteEventStore(dataDir);
  const keyStore = openSqliteKeyStore(dataDir);
  try {
    const { caseId } = await receiveReferral(
      events,
      {
        receivedOn: businessDateOf(new Date()),
        referralSource: 'jobcenter',
        targetGroup: 'recommitted',
        housingSituation: 'seized_flat',
        threatCauses: [],
        adults: 1,
        children: 0,
        existingAid: [],
        consentGiven: true,
        household: { name, address: 'Altweg 1' },
      },
      CASEWORKER,
      {},
      { ...defaultHandlerSettings, keys: new PersonalDataKeys(keyStore) },
    );
    const [received] = await events.readStream(`case-${caseId}`);
    return (received.data as { householdId: string }).householdId;
  } finally {
    await Promise.all([events.close(), keyStore.close()]);
  }
}

async function erase(dataDir: string, householdId: string): Promise<void> {
  const events = openSqliteEventStore(dataDir);
  const keyStore = openSqliteKeyStore(dataDir);
  try {
    await erasePersonalData(events, new PersonalDataKeys(keyStore), householdId, ADMIN);
  } finally {
    await Promise.all([events.close(), keyStore.close()]);
  }
}

/** The referral events of every case, opened with the directory's keys (under the KEK of `kekDir`), as JSON text. */
async function openedReferrals(dataDir: string, kekDir = dataDir): Promise<string> {
  const events = openSqliteEventStore(dataDir);
  const keyStore = openSqliteKeyStore(dataDir, { wrapper: generatedKeyWrapper(kekDir) });
  try {
    const all: RecordedEvent[] = [];
    for await (const batch of events.readAll({ category: 'case' })) all.push(...batch.filter((e) => e.type === 'ReferralReceived'));
    return JSON.stringify((await openPersonalData(all, new PersonalDataKeys(keyStore))).map((event) => event.data));
  } finally {
    await Promise.all([events.close(), keyStore.close()]);
  }
}

/** Every row of every table of a database file, for comparing two files' contents. */
function rowsOf(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all();
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all()]));
  } finally {
    db.close();
  }
}

const keyStatus = async (dataDir: string, keyId: string) => {
  const store = openSqliteKeyStore(dataDir);
  try {
    return (await store.get(keyId))?.status;
  } finally {
    await store.close();
  }
};

describe('cli backup and restore (embedded stores)', () => {
  let root: string;
  let data: string;
  const saved = { ...process.env };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wih-cli-backup-'));
    data = join(root, 'data');
    mkdirSync(data);
    process.env = { ...saved, DATA_DIR: data };
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(root, { recursive: true, force: true });
  });

  const run = async (...args: string[]): Promise<string> => {
    let out = '';
    const program = new Command('wih').exitOverride();
    backupCommands(program, { write: (text) => (out += text) });
    await program.parseAsync(args, { from: 'user' });
    return out;
  };

  it('backs up while another connection keeps appending: each copy is consistent and the manifest names its head', async () => {
    await refer(data, 'Familie Sicherung');
    const writer = openSqliteEventStore(data);
    let stop = false;
    let appended = 0;
    const writing = (async () => {
      while (!stop) {
        await writer.append(`smoke-${appended}`, [tick(appended)], 'no-stream');
        appended += 1;
      }
    })();
    while (appended < 20) await new Promise((resolve) => setImmediate(resolve));
    const manifest = await takeBackup(data, join(root, 'b1'));
    const atBackup = appended;
    while (appended < atBackup + 20) await new Promise((resolve) => setImmediate(resolve));
    stop = true;
    await writing;
    await writer.close();

    expect(manifest.files.map((f) => f.name)).toEqual(['events.sqlite', 'keys.sqlite']);
    const copied = rowsOf(join(root, 'b1', 'events.sqlite')).events as { position: number; id: string }[];
    expect(copied.length).toBe(manifest.eventLog.events);
    expect(copied.at(-1)).toMatchObject({ position: Number(manifest.eventLog.headPosition), id: manifest.eventLog.headEventId });
    // The copy is a prefix of the live log: the same events at the same positions, the later ones missing.
    const live = rowsOf(join(data, 'events.sqlite')).events;
    expect(live.length).toBeGreaterThan(copied.length);
    expect(live.slice(0, copied.length)).toEqual(copied);
    const written = JSON.parse(readFileSync(join(root, 'b1', 'manifest.json'), 'utf8')) as Manifest;
    expect(written).toEqual(manifest);
    expect(written.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(written.product.version).toMatch(/\d+\.\d+\.\d+/);
  });

  it('refuses a target directory that is not empty', async () => {
    await refer(data, 'Familie Voll');
    mkdirSync(join(root, 'full'));
    writeFileSync(join(root, 'full', 'other'), 'x');
    await expect(run('backup', join(root, 'full'))).rejects.toThrow(/is not empty/);
    expect(readdirSync(join(root, 'full'))).toEqual(['other']);
  });

  it('refuses a backup that does not match its manifest, changing nothing in the data directory', async () => {
    await refer(data, 'Familie Prüfung');
    await run('backup', join(root, 'b'));
    await refer(data, 'Familie Später');
    const before = { events: rowsOf(join(data, 'events.sqlite')), keys: rowsOf(join(data, 'keys.sqlite')) };
    const keys = join(root, 'b', 'keys.sqlite');
    const bytes = readFileSync(keys);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(keys, bytes);
    await expect(run('restore', join(root, 'b'))).rejects.toThrow(
      /nothing restored:\n {2}keys\.sqlite: its SHA-256 differs from the manifest's$/,
    );
    rmSync(join(root, 'b', 'access-log.sqlite'), { force: true });
    rmSync(keys);
    await expect(run('restore', join(root, 'b'))).rejects.toThrow(
      /does not match its manifest; nothing restored:\n {2}keys\.sqlite: missing/,
    );
    rmSync(join(root, 'b', 'manifest.json'));
    await expect(run('restore', join(root, 'b'))).rejects.toThrow(/no manifest\.json/);
    expect(readdirSync(data).filter((name) => name.startsWith('before-restore'))).toEqual([]);
    expect({ events: rowsOf(join(data, 'events.sqlite')), keys: rowsOf(join(data, 'keys.sqlite')) }).toEqual(before);
  });

  it('round trip: the restored event log, keys and access log are those of the backup; the files before are moved aside', async () => {
    const householdId = await refer(data, 'Familie Rückkehr');
    const log = openSqliteAccessLog(data);
    await log.append([{ id: 'a-1', at: '2026-03-01T09:00:00.000Z', userId: 'anna', role: 'caseworker', caseId: 'c-1', action: 'detail' }]);
    await log.close();
    const files = ['events.sqlite', 'keys.sqlite', 'access-log.sqlite'];
    const atBackup = Object.fromEntries(files.map((name) => [name, rowsOf(join(data, name))]));
    expect(await run('backup', join(root, 'b'))).toMatch(/^events\.sqlite {2}\d+ bytes {2}sha256 [0-9a-f]{64}\n/);
    // After the backup: an event and an access-log entry that the restore must take back.
    const later = openSqliteEventStore(data);
    await later.append('smoke-later', [tick(0)], 'no-stream');
    await later.close();
    const laterLog = openSqliteAccessLog(data);
    await laterLog.append([
      { id: 'a-2', at: '2026-03-02T09:00:00.000Z', userId: 'anna', role: 'caseworker', caseId: 'c-1', action: 'detail' },
    ]);
    await laterLog.close();
    expect(rowsOf(join(data, 'events.sqlite'))).not.toEqual(atBackup['events.sqlite']);
    writeFileSync(join(data, 'read.sqlite'), '');

    const out = await run('restore', join(root, 'b'));
    expect(Object.fromEntries(files.map((name) => [name, rowsOf(join(data, name))]))).toEqual(atBackup);
    expect(existsSync(join(data, 'read.sqlite'))).toBe(false);
    const [aside] = readdirSync(data).filter((name) => name.startsWith('before-restore-'));
    // With the event log's wake-up file, rung by the appends (decision 0050).
    expect(readdirSync(join(data, aside)).sort()).toEqual([...files, 'read.sqlite', 'events.sqlite-wakeup'].sort());
    expect(await keyStatus(data, householdId)).toBe('active');
    expect(await openedReferrals(data)).toContain('Familie Rückkehr');
    expect(out).toContain('0 household(s) erased after the backup');
    expect(out).not.toContain('Familie');
  });

  it('re-applies an erasure found in the log after the backup: the household stays unreadable in the restored copy', async () => {
    const erased = await refer(data, 'Familie Gelöscht');
    const kept = await refer(data, 'Familie Bleibt');
    await run('backup', join(root, 'b'));
    // Opened in a copy: opening a store switches its file back to WAL, which changes the backup's digest.
    mkdirSync(join(root, 'peek'));
    for (const name of ['events.sqlite', 'keys.sqlite']) copyFileSync(join(root, 'b', name), join(root, 'peek', name));
    expect(await openedReferrals(join(root, 'peek'), data)).toContain('Familie Gelöscht');
    await erase(data, erased);
    expect(await openedReferrals(data)).not.toContain('Familie Gelöscht');
    // The key store is what was lost: only the log can tell that the erasure happened.
    for (const name of readdirSync(data)) if (name.startsWith('keys.sqlite')) rmSync(join(data, name));

    const out = await run('restore', join(root, 'b'));
    expect(out).toContain('no current key store to merge');
    expect(out).toContain(`1 household(s) erased after the backup according to`);
    expect(out).toContain(erased);
    expect(await keyStatus(data, erased)).toBe('destroyed');
    expect(await keyStatus(data, kept)).toBe('active');
    const opened = await openedReferrals(data);
    expect(opened).not.toContain('Familie Gelöscht');
    expect(opened).toContain('Familie Bleibt');
    // The restored log records the erasure again (the backup's log predates it).
    const events = openSqliteEventStore(data);
    const marks = (await events.readStream(`household-${erased}`)).filter((e) => e.type === 'PersonalDataErased');
    await events.close();
    expect(marks).toHaveLength(1);
    expect(rowsOf(join(data, 'keys.sqlite')).data_keys).toContainEqual(expect.objectContaining({ household_id: erased, key: null }));
  });

  it('without the newer log, the current key store still carries the erasure over; a key created since is kept', async () => {
    const erased = await refer(data, 'Familie Ohne Log');
    await run('backup', join(root, 'b'));
    await erase(data, erased);
    const back = await refer(data, 'Familie Zurück');
    expect(back).not.toBe(erased);
    rmSync(join(data, 'events.sqlite'));

    const out = await run('restore', join(root, 'b'));
    expect(out).toContain('no newer event log');
    expect(out).toMatch(/1 key\(s\) destroyed there destroyed here too, 1 record\(s\) newer than the backup kept/);
    expect(await keyStatus(data, erased)).toBe('destroyed');
    expect(await keyStatus(data, back)).toBe('active');
    expect(await openedReferrals(data)).not.toContain('Familie Ohne Log');
  });

  it('with READ_DIR elsewhere: refuses while its read store is open, then moves it aside there (decision 0052)', async () => {
    const readDir = join(root, 'read');
    mkdirSync(readDir);
    process.env.READ_DIR = readDir;
    await refer(data, 'Familie Lesespeicher');
    await run('backup', join(root, 'b'));
    const reads = openSqliteReadStore(readDir);
    await reads.ensureCollection({ name: 'cases@1', indexes: [] });
    await expect(run('restore', join(root, 'b'))).rejects.toThrow(
      new RegExp(`in use by a running process: ${join(readDir, 'read.sqlite')}`),
    );
    await reads.close();

    await run('restore', join(root, 'b'));
    expect(existsSync(join(readDir, 'read.sqlite'))).toBe(false);
    const [aside] = readdirSync(readDir).filter((name) => name.startsWith('before-restore-'));
    expect(readdirSync(join(readDir, aside))).toContain('read.sqlite');
    expect(await openedReferrals(data)).toContain('Familie Lesespeicher');
  });

  it('refuses to restore while a store of the data directory is open elsewhere, and a log that does not continue the backup', async () => {
    await refer(data, 'Familie Offen');
    await run('backup', join(root, 'b'));
    const open = openSqliteEventStore(data);
    expect(inUse(join(data, 'events.sqlite'))).toBe(true);
    await expect(run('restore', join(root, 'b'))).rejects.toThrow(/in use by a running process: events\.sqlite/);
    await open.close();
    expect(inUse(join(data, 'events.sqlite'))).toBe(false);

    const other = join(root, 'other');
    mkdirSync(other);
    await refer(other, 'Familie Fremd');
    await expect(run('restore', join(root, 'b'), '--log-from', join(other, 'events.sqlite'))).rejects.toThrow(
      /does not continue the backup's/,
    );
    expect(readdirSync(data).filter((name) => name.startsWith('before-restore'))).toEqual([]);
  });
});
