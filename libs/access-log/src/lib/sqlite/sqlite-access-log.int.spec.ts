import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
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
