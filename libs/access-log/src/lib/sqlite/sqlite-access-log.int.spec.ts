import { CHECKPOINT_CHANNEL, type StoreTiming } from '@wih/event-store';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessLogContract, entry } from '../../testing';
import { AccessLogUnavailableError } from '../port';
import { openSqliteAccessLog } from './sqlite-access-log';

const tempDir = () => mkdtempSync(join(tmpdir(), 'wih-access-log-'));

accessLogContract('SQLite', async () => {
  const dir = tempDir();
  const log = openSqliteAccessLog(dir, { durability: 'normal' });
  return { log, cleanup: async () => (await log.close(), rmSync(dir, { recursive: true, force: true })) };
});

describe('SqliteAccessLog', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps entries across a restart, in its own file in the data directory', async () => {
    const first = entry();
    const log = openSqliteAccessLog(dir);
    await log.append([first]);
    await log.close();
    const reopened = openSqliteAccessLog(dir);
    expect(await reopened.find({ caseId: first.caseId, limit: 5 })).toEqual([first]);
    await reopened.close();
  });

  it('refuses UPDATE and DELETE in the database itself (triggers), also from another connection', async () => {
    const log = openSqliteAccessLog(dir);
    const kept = entry();
    await log.append([kept]);
    const raw = new Database(join(dir, 'access-log.sqlite'));
    try {
      expect(() => raw.prepare("UPDATE access_log SET user_id = 'someone-else'").run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM access_log').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    expect(await log.find({ caseId: kept.caseId, limit: 5 })).toEqual([kept]);
    await log.close();
  });

  it('widens the actions of a file created before the access report, keeping its entries, order and triggers', async () => {
    // The schema as the version before the access report created it.
    const old = new Database(join(dir, 'access-log.sqlite'));
    old.pragma('journal_mode = WAL');
    old.exec(`
      CREATE TABLE access_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, user_id TEXT NOT NULL,
        role TEXT NOT NULL, case_id TEXT NOT NULL, action TEXT NOT NULL CHECK (action IN ('detail', 'timeline', 'caseload')));
      CREATE INDEX access_log_at ON access_log (at, id);
      CREATE INDEX access_log_case ON access_log (case_id, at, id);
      CREATE INDEX access_log_user ON access_log (user_id, at, id);
      CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
      CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
    `);
    const caseId = randomUUID();
    const before = [
      entry({ caseId, at: '2026-03-01T08:00:00.000Z' }),
      entry({ caseId, at: '2026-03-01T08:30:00.000Z', action: 'timeline' }),
    ];
    const insert = old.prepare(
      'INSERT INTO access_log (id, at, user_id, role, case_id, action) VALUES (@id, @at, @userId, @role, @caseId, @action)',
    );
    before.forEach((e) => insert.run(e));
    expect(() => insert.run(entry({ caseId, action: 'access-report' }))).toThrow(/CHECK constraint/);
    old.close();

    const log = openSqliteAccessLog(dir);
    const report = entry({ caseId, at: '2026-03-01T09:00:00.000Z', role: 'fachstelle', action: 'access-report' });
    await log.append([report]);
    expect(await log.find({ caseId, limit: 10 })).toEqual([...before, report]);
    await log.close();

    const raw = new Database(join(dir, 'access-log.sqlite'));
    try {
      expect(raw.prepare('SELECT seq FROM access_log ORDER BY seq').all()).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
      expect(() => raw.prepare("UPDATE access_log SET action = 'detail'").run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM access_log').run()).toThrow(/append-only/);
      expect(() => raw.prepare(insert.source).run(entry({ action: 'update' as never }))).toThrow(/CHECK constraint/);
      const indexes = raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'access_log' AND sql IS NOT NULL")
        .all();
      expect(indexes.map((row) => (row as { name: string }).name).sort()).toEqual(['access_log_at', 'access_log_case', 'access_log_user']);
    } finally {
      raw.close();
    }
    // Opening again changes nothing.
    const again = openSqliteAccessLog(dir);
    expect(await again.find({ caseId, limit: 10 })).toEqual([...before, report]);
    await again.close();
  });

  it('fails with AccessLogUnavailableError when it cannot write (a read must then fail)', async () => {
    const log = openSqliteAccessLog(dir);
    const raw = new Database(join(dir, 'access-log.sqlite'), { timeout: 0 });
    raw.exec('BEGIN EXCLUSIVE');
    try {
      const blocked = openSqliteAccessLog(dir, { busyTimeoutMs: 0 });
      await expect(blocked.append([entry()])).rejects.toThrow(AccessLogUnavailableError);
      await blocked.close();
    } finally {
      raw.exec('ROLLBACK');
      raw.close();
      await log.close();
    }
  });
});

accessLogContract('SQLite, background checkpoints', async () => {
  const dir = tempDir();
  const log = openSqliteAccessLog(dir, { checkpoints: 'background' });
  return { log, cleanup: async () => (await log.close(), rmSync(dir, { recursive: true, force: true })) };
});

describe('SqliteAccessLog with background checkpoints (decision 0048)', () => {
  let dir: string;
  const checkpoints: StoreTiming[] = [];
  const listen = (message: unknown) => checkpoints.push(message as StoreTiming);
  beforeEach(() => {
    dir = tempDir();
    checkpoints.length = 0;
    diagnosticsChannel.subscribe(CHECKPOINT_CHANNEL, listen);
  });
  afterEach(() => {
    diagnosticsChannel.unsubscribe(CHECKPOINT_CHANNEL, listen);
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the WAL back from the worker, without an entry reaching the automatic threshold; closed, every entry is in the file', async () => {
    const log = openSqliteAccessLog(dir, { checkpoints: 'background' });
    for (let i = 0; i < 50; i++) await log.append([entry()]);
    const deadline = Date.now() + 5000;
    while (checkpoints.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await log.close();

    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.reduce((n, c) => n + c.count, 0)).toBeLessThan(1000);
    const file = join(dir, 'access-log.sqlite');
    expect(existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM access_log').get()).toEqual({ n: 50 });
    } finally {
      db.close();
    }
  });
});
