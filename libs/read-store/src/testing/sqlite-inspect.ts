import Database from 'better-sqlite3';
import { storageNameOf } from '../lib/collections';

export interface SqliteIndexReport {
  /** Secondary indexes (the primary key's is not counted). */
  readonly indexes: number;
  /** FTS5 trigram tables. */
  readonly search: number;
  /** Planner statistics (ANALYZE) exist for the table. */
  readonly analyzed: boolean;
}

/** What a SQLite read store file holds for a collection, read over a connection of its own (tests only). */
export const sqliteIndexesOf = (file: string, collection: string): SqliteIndexReport => {
  const table = storageNameOf(collection);
  const db = new Database(file, { readonly: true });
  try {
    const count = (sql: string, ...args: unknown[]) =>
      Number(
        db
          .prepare(sql)
          .pluck()
          .get(...args),
      );
    const analyzed =
      count("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'") === 1 &&
      count('SELECT count(*) FROM sqlite_stat1 WHERE tbl = ?', table) > 0;
    return {
      indexes: count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", table),
      search: count(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB ? AND sql LIKE 'CREATE VIRTUAL%'",
        `${table}__fts_*`,
      ),
      analyzed,
    };
  } finally {
    db.close();
  }
};
