import { checkpointInBackground, preparePrivateFile, type BackgroundCheckpointer } from '@wih/event-store';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  ACCESS_ACTIONS,
  AccessLogUnavailableError,
  type AccessEntry,
  type AccessLog,
  type AccessLogCopy,
  type AccessLogQuery,
} from '../port';
import { assertEntry, assertQuery } from '../validation';

export type Durability = 'full' | 'normal';

export interface SqliteAccessLogOptions {
  readonly durability?: Durability;
  /** How long a write waits for another connection's lock before failing (default 5 s). */
  readonly busyTimeoutMs?: number;
  /** `background`: the WAL is copied back by a worker thread, never inside an entry's write (default: inside, as SQLite does; decision 0048). */
  readonly checkpoints?: 'inline' | 'background';
}

/** The actions the table accepts, from ACCESS_ACTIONS: a file created by an older version lacks the newer ones (widenActions). */
const ACTION_CHECK = `CHECK (action IN (${ACCESS_ACTIONS.map((action) => `'${action}'`).join(', ')}))`;

const tableDdl = (name: string): string => `
  CREATE TABLE IF NOT EXISTS ${name} (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    id      TEXT NOT NULL UNIQUE,
    at      TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role    TEXT NOT NULL,
    case_id TEXT NOT NULL,
    action  TEXT NOT NULL ${ACTION_CHECK}
  );`;

/**
 * Append-only by construction: this file has INSERT and SELECT statements only, and the triggers
 * make SQLite itself refuse UPDATE and DELETE on the table (also from a sqlite3 shell), so changing
 * an entry means dropping the triggers first, a deliberate act that leaves the schema changed.
 */
const SCHEMA = `
  ${tableDdl('access_log')}
  CREATE INDEX IF NOT EXISTS access_log_at ON access_log (at, id);
  CREATE INDEX IF NOT EXISTS access_log_case ON access_log (case_id, at, id);
  CREATE INDEX IF NOT EXISTS access_log_user ON access_log (user_id, at, id);
  CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON access_log
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS access_log_no_delete BEFORE DELETE ON access_log
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
`;

const acceptsEveryAction = (db: Database.Database): boolean => {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'access_log'").get() as { sql: string } | undefined;
  return row !== undefined && ACCESS_ACTIONS.every((action) => row.sql.includes(`'${action}'`));
};

/**
 * A file created by an older version refuses the actions added since (its CHECK lists the actions
 * of then). SQLite cannot change a CHECK in place, so the table is copied into one with the current
 * CHECK, in one transaction: every entry kept with its sequence number, the old table (with its
 * triggers and indexes) dropped, the new one renamed and given the triggers and indexes again.
 * Nothing is updated or deleted row by row, so the append-only triggers are never asked; another
 * process opening the file at the same time waits for the write lock and then finds it done.
 */
const widenActions = (db: Database.Database): void => {
  if (acceptsEveryAction(db)) return;
  db.transaction(() => {
    if (acceptsEveryAction(db)) return;
    db.exec(`
      ${tableDdl('access_log_widened')}
      INSERT INTO access_log_widened (seq, id, at, user_id, role, case_id, action)
        SELECT seq, id, at, user_id, role, case_id, action FROM access_log ORDER BY seq;
      DROP TABLE access_log;
      ALTER TABLE access_log_widened RENAME TO access_log;
      ${SCHEMA}
    `);
  }).immediate();
};

interface Row {
  id: string;
  at: string;
  user_id: string;
  role: string;
  case_id: string;
  action: AccessEntry['action'];
}

const toEntry = (row: Row): AccessEntry => ({
  id: row.id,
  at: row.at,
  userId: row.user_id,
  role: row.role,
  caseId: row.case_id,
  action: row.action,
});

/** The WHERE clause and parameters of a query; the keyset condition pages in (at, id) order. */
export function whereOf(query: AccessLogQuery): { sql: string; params: Record<string, string> } {
  const filters: [string, keyof AccessLogQuery, string | undefined][] = [
    ['at >= @from', 'from', query.from],
    ['at < @before', 'before', query.before],
    ['user_id = @userId', 'userId', query.userId],
    ['case_id = @caseId', 'caseId', query.caseId],
  ];
  const used = filters.filter(([, , value]) => value !== undefined);
  const parts = used.map(([condition]) => condition);
  const params: Record<string, string> = Object.fromEntries(used.map(([, name, value]) => [name, value as string]));
  if (query.after !== undefined) {
    parts.push('(at > @afterAt OR (at = @afterAt AND id > @afterId))');
    Object.assign(params, { afterAt: query.after.at, afterId: query.after.id });
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** The access log in its own SQLite file (WAL; `full` durability: an entry is on disk before the read is answered). */
export class SqliteAccessLog implements AccessLog, AccessLogCopy {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertAll: (entries: readonly AccessEntry[]) => void;
  private readonly insertMissing: (entries: readonly AccessEntry[]) => number;
  private readonly checkpointer?: BackgroundCheckpointer;

  constructor(file: string, options: SqliteAccessLogOptions = {}) {
    preparePrivateFile(file);
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.db = new Database(file, { timeout: busyTimeoutMs });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
      this.db.exec(SCHEMA);
      widenActions(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    if (options.checkpoints === 'background') {
      // Every read of personal data writes an entry on the API's event loop: SQLite's own checkpoint
      // inside the write that crosses 1,000 pages of WAL held that read, and every request behind it.
      this.checkpointer = checkpointInBackground(this.db, file, busyTimeoutMs);
    }
    this.insert = this.db.prepare(
      'INSERT INTO access_log (id, at, user_id, role, case_id, action) VALUES (@id, @at, @userId, @role, @caseId, @action)',
    );
    this.insertAll = this.db.transaction((entries: readonly AccessEntry[]) => entries.forEach((entry) => this.insert.run(entry)));
    const insertIfNew = this.db.prepare(
      'INSERT INTO access_log (id, at, user_id, role, case_id, action) VALUES (@id, @at, @userId, @role, @caseId, @action) ON CONFLICT (id) DO NOTHING',
    );
    this.insertMissing = this.db.transaction((entries: readonly AccessEntry[]) =>
      entries.reduce((added, entry) => added + insertIfNew.run(entry).changes, 0),
    );
  }

  async append(entries: readonly AccessEntry[]): Promise<void> {
    entries.forEach(assertEntry);
    if (entries.length === 0) return;
    try {
      this.insertAll(entries);
    } catch (error) {
      throw new AccessLogUnavailableError(`the access log could not be written: ${(error as { code?: string }).code ?? 'error'}`, {
        cause: error,
      });
    }
  }

  async find(query: AccessLogQuery): Promise<AccessEntry[]> {
    assertQuery(query);
    const { sql, params } = whereOf(query);
    try {
      const rows = this.db
        .prepare(`SELECT id, at, user_id, role, case_id, action FROM access_log ${sql} ORDER BY at, id LIMIT ${query.limit}`)
        .all(params) as Row[];
      return rows.map(toEntry);
    } catch (error) {
      throw new AccessLogUnavailableError(`the access log could not be read: ${(error as { code?: string }).code ?? 'error'}`, {
        cause: error,
      });
    }
  }

  async lastEntry(): Promise<AccessEntry | null> {
    const row = this.read(() =>
      this.db.prepare('SELECT id, at, user_id, role, case_id, action FROM access_log ORDER BY at DESC, id DESC LIMIT 1').get(),
    ) as Row | undefined;
    return row ? toEntry(row) : null;
  }

  async importEntries(entries: readonly AccessEntry[]): Promise<number> {
    entries.forEach(assertEntry);
    try {
      return this.insertMissing(entries);
    } catch (error) {
      throw new AccessLogUnavailableError(`the access log could not be written: ${(error as { code?: string }).code ?? 'error'}`, {
        cause: error,
      });
    }
  }

  async countEntries(): Promise<number> {
    return Number(this.read(() => this.db.prepare('SELECT count(*) FROM access_log').pluck().get()));
  }

  private read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw new AccessLogUnavailableError(`the access log could not be read: ${(error as { code?: string }).code ?? 'error'}`, {
        cause: error,
      });
    }
  }

  async ping(): Promise<boolean> {
    try {
      return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}

/** The default file: `<DATA_DIR>/access-log.sqlite`, apart from the event log and the (rebuildable) read store. */
export const openSqliteAccessLog = (dataDir: string, options: SqliteAccessLogOptions = {}): SqliteAccessLog =>
  new SqliteAccessLog(join(dataDir, 'access-log.sqlite'), options);
