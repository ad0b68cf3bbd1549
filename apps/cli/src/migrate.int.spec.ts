import { MongoAccessLog, openSqliteAccessLog, type AccessEntry } from '@wih/access-log';
import {
  defaultHandlerSettings,
  erasePersonalData,
  migrateStores,
  MigrationRefusedError,
  PersonalDataKeys,
  receiveReferral,
  SEALED_FROM,
  type Actor,
} from '@wih/application';
import { historyOutputs, parseHistory, writeHistoryDataDir, type HistoryOutputs } from '@wih/application/testing';
import { businessDateOf } from '@wih/domain';
import { openSqliteEventStore, SqliteEventStore, type EventStore, type RecordedEvent } from '@wih/event-store';
import { generatedKeyWrapper, MongoKeyStore, openSqliteKeyStore } from '@wih/key-store';
import { loadSettings, openAccessLog, openEventStore, openKeyStore, openRawEventStore } from '@wih/runtime';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigration } from './migrate';

const HISTORY = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const v1Lines = parseHistory(readFileSync(join(HISTORY, 'history-v1.jsonl'), 'utf8'));
const v1Request = (JSON.parse(readFileSync(join(HISTORY, 'history-v1.expected.json'), 'utf8')) as HistoryOutputs).evaluation.request;
const CASEWORKER: Actor = { userId: 'anna', role: 'caseworker' };
const ADMIN: Actor = { userId: 'ops', role: 'admin' };
const PLANTED = ['Testhaushalt', 'Fiktivweg', 'Erika Planwert', 'Planweg 7'];

const json = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));

async function readAll(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const batch of store.readAll()) events.push(...batch);
  return events;
}

/**
 * A source installation: the recorded history from before encryption (schema-1 plaintext, no keys),
 * one of its households erased, a referral written today (sealed) and access-log entries.
 */
async function sourceDir(): Promise<{ dir: string; erasedHousehold: string; entries: AccessEntry[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'wih-migrate-source-'));
  await writeHistoryDataDir(dir, v1Lines);
  const events = openSqliteEventStore(dir);
  const keyStore = openSqliteKeyStore(dir);
  const keys = new PersonalDataKeys(keyStore);
  const erasedHousehold = (v1Lines.find((l) => l.type === 'ReferralReceived')?.data as { householdId: string }).householdId;
  try {
    await erasePersonalData(events, keys, erasedHousehold, ADMIN);
    await receiveReferral(
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
        household: { name: 'Erika Planwert', address: 'Planweg 7' },
      },
      CASEWORKER,
      {},
      { ...defaultHandlerSettings, keys },
    );
  } finally {
    await Promise.all([events.close(), keyStore.close()]);
  }
  const entries: AccessEntry[] = Array.from({ length: 5 }, (_, n) => ({
    id: randomUUID(),
    at: `2026-03-0${n + 1}T09:00:00.000Z`,
    userId: 'anna',
    role: 'caseworker',
    caseId: randomUUID(),
    action: 'detail',
  }));
  const log = openSqliteAccessLog(dir);
  await log.append(entries);
  await log.close();
  return { dir, erasedHousehold, entries };
}

/** What the production read path gives for a data directory: write models, every projection, the evaluation. */
async function outputsOf(dir: string): Promise<unknown> {
  const settings = loadSettings({ DATA_DIR: dir });
  const store = openEventStore(settings);
  const keyStore = openKeyStore(settings);
  try {
    return json(await historyOutputs(store, v1Request, new PersonalDataKeys(keyStore)));
  } finally {
    await Promise.all([store.close(), keyStore.close()]);
  }
}

/** Every file of a data directory (databases and their journals) as text, to look for plaintext. */
const filesText = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.includes('.sqlite'))
    .map((name) => readFileSync(join(dir, name)).toString('latin1'))
    .join('\n');

describe('migrate (embedded source, embedded target)', () => {
  let source: Awaited<ReturnType<typeof sourceDir>>;
  let targetRoot: string;
  let output: string;
  const write = (text: string) => void (output += text);
  const migrate = (targetDir: string, extra: Record<string, string> = {}) =>
    runMigration({ toEventStore: `sqlite:${join(targetDir, 'events.sqlite')}`, ...extra }, { write, env: { DATA_DIR: source.dir } });

  beforeAll(async () => {
    source = await sourceDir();
  });
  beforeEach(() => {
    output = '';
    targetRoot = mkdtempSync(join(tmpdir(), 'wih-migrate-target-'));
  });
  afterEach(() => rmSync(targetRoot, { recursive: true, force: true }));
  afterAll(() => rmSync(source.dir, { recursive: true, force: true }));

  it('copies every event, key and access-log entry, seals schema-1 plaintext, verifies both sides, and the target reads as the source did', async () => {
    const target = join(targetRoot, 'data');
    mkdirSync(target);
    expect(await migrate(target)).toBe(0);
    expect(output).toMatch(/verified: all \d+ streams have the same count and digest on both sides/);

    const [from, to] = [openSqliteEventStore(source.dir), openSqliteEventStore(target)];
    const [sourceEvents, targetEvents] = [await readAll(from), await readAll(to)];
    await Promise.all([from.close(), to.close()]);
    // Every event, in the same order, with its id, type, stream and revision; metadata kept but for the sealing.
    expect(targetEvents.map((e) => [e.streamName, e.revision, e.id, e.type])).toEqual(
      sourceEvents.map((e) => [e.streamName, e.revision, e.id, e.type]),
    );
    const plaintext = sourceEvents.filter(
      (e) => e.metadata.schemaVersion === 1 && Object.keys((e.data as { personal?: object }).personal ?? {}).length > 0,
    );
    expect(plaintext.length).toBeGreaterThan(40);
    targetEvents.forEach((event, i) => {
      const before = sourceEvents[i];
      if (!plaintext.includes(before)) return expect(event).toEqual({ ...before, position: event.position });
      const { personal, ...facts } = event.data as { personal: unknown };
      expect(facts).toEqual((({ personal: _p, ...rest }) => rest)(before.data as { personal: unknown }));
      expect(event.metadata).toEqual({ ...before.metadata, schemaVersion: 2, [SEALED_FROM]: 1 });
      expect(personal === null || (personal as { alg?: string }).alg === 'A256GCM').toBe(true);
    });
    const erasedRefs = targetEvents.filter(
      (e) => e.type === 'ReferralReceived' && (e.data as { householdId: string }).householdId === source.erasedHousehold,
    );
    expect(erasedRefs.map((e) => (e.data as { personal: unknown }).personal)).toEqual([null]);
    const dropped = targetEvents.filter((e) => e.metadata.schemaVersion === 2 && (e.data as { personal?: unknown }).personal === null);
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(output).toContain(
      `${plaintext.length - dropped.length} schema-1 personal parts sealed, ${dropped.length} of erased households dropped`,
    );

    // No plaintext on the target's disk; the source still has it (it is not changed).
    const onDisk = filesText(target);
    for (const word of PLANTED) expect(onDisk.includes(word)).toBe(false);
    expect(filesText(source.dir).includes('Testhaushalt')).toBe(true);

    // The keys: every record of the source as stored, plus a first key for each household that had none.
    const [sourceKeys, targetKeys] = [openSqliteKeyStore(source.dir), openSqliteKeyStore(target)];
    const [before, after] = [await sourceKeys.exportWrapped(), await targetKeys.exportWrapped()];
    await Promise.all([sourceKeys.close(), targetKeys.close()]);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.length).toBeGreaterThan(before.length);

    const log = openAccessLog(loadSettings({ DATA_DIR: target }));
    expect(await log.find({ limit: 100 })).toEqual(source.entries);
    await log.close();

    // The projections built from the target log (an empty read store) equal those of the source.
    expect(await outputsOf(target)).toEqual(await outputsOf(source.dir));
  });

  it('resumes after an interruption where it stopped, copying nothing twice', async () => {
    const target = join(targetRoot, 'data');
    mkdirSync(target);
    const settings = loadSettings({ DATA_DIR: source.dir });
    const from = { events: openRawEventStore(settings), keys: openKeyStore(settings), accessLog: openAccessLog(settings) };
    const log = new SqliteEventStore(join(target, 'events.sqlite'));
    let appends = 0;
    const interrupted = Object.assign(Object.create(log) as SqliteEventStore, {
      append: (...args: Parameters<SqliteEventStore['append']>) => {
        if (++appends > 60) return Promise.reject(new Error('the connection was lost'));
        return log.append(...args);
      },
    });
    const to = {
      events: interrupted,
      keys: openSqliteKeyStore(target, { wrapper: generatedKeyWrapper(source.dir) }),
      accessLog: openSqliteAccessLog(target),
    };
    await expect(migrateStores(from, to)).rejects.toThrow('the connection was lost');
    const partial = (await readAll(log)).length;
    await Promise.all([from.events.close(), from.keys.close(), from.accessLog.close(), log.close(), to.keys.close(), to.accessLog.close()]);
    expect(partial).toBeGreaterThan(60);

    expect(await migrate(target)).toBe(0);
    expect(output).toMatch(/^resumed after case-[0-9a-f-]+@\d+ \(the target's last event\)/);
    const sourceLog = openSqliteEventStore(source.dir);
    const total = (await readAll(sourceLog)).length;
    await sourceLog.close();
    expect(output).toContain(`copied ${total - partial} events`);
    const again = openSqliteEventStore(target);
    const ids = (await readAll(again)).map((e) => e.id);
    await again.close();
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);

    // A third run finds nothing left to copy.
    output = '';
    expect(await migrate(target)).toBe(0);
    expect(output).toContain('copied 0 events');
    expect(output).toContain('0 access-log entries');
  });

  it('refuses to report success when the target differs: a changed event, sealed or not, is named with both digests', async () => {
    const target = join(targetRoot, 'data');
    mkdirSync(target);
    expect(await migrate(target)).toBe(0);
    const db = new Database(join(target, 'events.sqlite'));
    const sealed = db
      .prepare<[], { id: string; stream: string; data: string }>(
        `SELECT id, stream, data FROM events WHERE json_extract(metadata, '$.sealedFrom') = 1 AND json_extract(data, '$.personal.ct') IS NOT NULL LIMIT 1`,
      )
      .get();
    const plain = db
      .prepare<[], { id: string; stream: string }>(`SELECT id, stream FROM events WHERE category = 'household' LIMIT 1`)
      .get();
    if (!sealed || !plain) throw new Error('no event to change');
    const data = JSON.parse(sealed.data) as { personal: { ct: string } };
    const ct = Buffer.from(data.personal.ct, 'base64');
    ct[0] ^= 1;
    db.prepare('UPDATE events SET data = ? WHERE id = ?').run(
      JSON.stringify({ ...data, personal: { ...data.personal, ct: ct.toString('base64') } }),
      sealed.id,
    );
    db.prepare(`UPDATE events SET data = json_set(data, '$.reservedAt', '2000-01-01T00:00:00.000Z') WHERE id = ?`).run(plain.id);
    db.close();

    output = '';
    expect(await migrate(target)).toBe(1);
    expect(output).toContain('NOT VERIFIED: 2 difference(s); the migration did not succeed');
    expect(output).toMatch(new RegExp(`${sealed.stream}: source \\d+ events sha256 [0-9a-f]{64}, target \\d+ events sha256 [0-9a-f]{64}`));
    expect(output).toContain(`${plain.stream}: source`);
    expect(output).not.toContain('next: start the installation');
  });

  it('refuses a target log that is not a copy of this one, and its own data directory, copying nothing', async () => {
    const target = join(targetRoot, 'data');
    mkdirSync(target);
    const foreign = openSqliteEventStore(target);
    await foreign.append(`case-${randomUUID()}`, [{ ...v1Lines[1], id: randomUUID() }], 'no-stream');
    await foreign.close();
    await expect(migrate(target)).rejects.toBeInstanceOf(MigrationRefusedError);
    await expect(migrate(source.dir)).rejects.toThrow("is the source's own log");
    const log = openSqliteAccessLog(target);
    expect(await log.countEntries()).toBe(0);
    await log.close();
  });
});

const url = process.env.MONGO_URL;
if (url) {
  describe('migrate into MongoDB key store and access log', () => {
    it('copies the keys still wrapped and the access log, and verifies', async () => {
      const source = await sourceDir();
      const targetDir = mkdtempSync(join(tmpdir(), 'wih-migrate-target-'));
      const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
      const run = randomUUID().slice(0, 8);
      const settings = loadSettings({ DATA_DIR: source.dir });
      const from = { events: openRawEventStore(settings), keys: openKeyStore(settings), accessLog: openAccessLog(settings) };
      const to = {
        events: new SqliteEventStore(join(targetDir, 'events.sqlite')),
        keys: new MongoKeyStore(client, `migrate_keys_${run}`, { wrapper: generatedKeyWrapper(source.dir) }),
        accessLog: new MongoAccessLog(client, `migrate_access_${run}`),
      };
      try {
        const report = await migrateStores(from, to);
        expect(report.differences).toEqual([]);
        expect(report.target.accessLog).toEqual(report.source.accessLog);
        expect(report.target.keys).toEqual(report.source.keys);
        expect(await to.accessLog.find({ limit: 100 })).toEqual(source.entries);
        const keys = await to.keys.exportWrapped();
        expect(keys).toEqual(expect.arrayContaining(await from.keys.exportWrapped()));
        // Rerun: nothing copied twice.
        const again = await migrateStores(from, to);
        expect([again.copied.events, again.copied.accessEntries, again.copied.keys.added]).toEqual([0, 0, 0]);
        expect(again.differences).toEqual([]);
      } finally {
        await Promise.all([from.events.close(), from.keys.close(), from.accessLog.close(), to.events.close()]);
        await client.db(`migrate_keys_${run}`).dropDatabase();
        await client.db(`migrate_access_${run}`).dropDatabase();
        await client.close();
        rmSync(source.dir, { recursive: true, force: true });
        rmSync(targetDir, { recursive: true, force: true });
      }
    });
  });
}
