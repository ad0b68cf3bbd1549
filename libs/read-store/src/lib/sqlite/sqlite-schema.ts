import Database from 'better-sqlite3';
import { preparePrivateFile } from '@wih/event-store';
import type { CollectionSpec } from '../port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS collections (
    name    TEXT PRIMARY KEY,
    indexes TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS checkpoints (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS leases (
    name       TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
`;

/** Opens (creating if needed) the read database: WAL, synchronous NORMAL, the store's own tables. */
export const openReadDatabase = (file: string): Database.Database => {
  preparePrivateFile(file);
  // Waits up to 5 s for another connection's write lock instead of failing at once.
  const db = new Database(file, { timeout: 5000 });
  try {
    // WAL: queries read while a runner commits, also from other processes.
    db.pragma('journal_mode = WAL');
    // NORMAL: in WAL mode a power loss can drop only the last commits, and always whole ones in
    // order, so documents and checkpoint stay consistent and the runner re-applies the lost batches
    // from the durable event log (parked records are written before the checkpoint passes them).
    // FULL would add an fsync per batch that blocks the event loop the API serves requests on.
    db.pragma('synchronous = NORMAL');
    // The documents hold decrypted personal data: deleted and overwritten content is zeroed in the
    // pages instead of lingering in free space after an erasure (the WAL copies: see scrub()).
    db.pragma('secure_delete = ON');
    db.exec(SCHEMA);
    addMissingColumns(db);
    // Positions are bigint: read every integer as one (counts and lease expiries are converted back).
    db.defaultSafeIntegers(true);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/**
 * Columns added since the first version, to files that lack them: a lease's fence (the tenure
 * counter, see acquireLease) and the highest fence a checkpoint was moved with.
 */
const addMissingColumns = (db: Database.Database): void => {
  const has = (table: string, column: string) => (db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column);
  if (!has('leases', 'fence')) db.exec('ALTER TABLE leases ADD COLUMN fence INTEGER NOT NULL DEFAULT 0');
  if (!has('checkpoints', 'fence')) db.exec('ALTER TABLE checkpoints ADD COLUMN fence INTEGER');
};

/** Identifiers are validated before they get here; quoting is the second line of defence. */
export const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

export const indexColumn = (field: string): string => quote(`ix_${field}`);
export const searchColumn = (field: string): string => quote(`lc_${field}`);

/**
 * A collection's table: the document as JSON (NULL: deleted, kept as a tombstone so that a
 * replayed older write cannot bring the document back), the position of the last event applied,
 * and per index field its value (no declared type, so values keep their type: '10' stays text)
 * and its search text for `contains`.
 */
export const tableDdl = (table: string, spec: CollectionSpec): string => {
  const columns = spec.indexes.flatMap((field) => [indexColumn(field), `${searchColumn(field)} TEXT`]);
  return `CREATE TABLE IF NOT EXISTS ${quote(table)} (${['id TEXT PRIMARY KEY NOT NULL', 'doc TEXT', 'position INTEGER NOT NULL', ...columns].join(', ')});`;
};

/**
 * The secondary indexes: per index field `(field, id)`, which serves `ORDER BY field, id` and the
 * keyset; per compound index `(fields…, id)`, which serves an equality filter on the first fields
 * with the order of the last one, so a page stops after `limit` rows instead of sorting every match.
 * Partial (live documents only): tombstones are never part of a result.
 */
export const indexesDdl = (table: string, spec: CollectionSpec): string =>
  [...spec.indexes.map((field) => [field]), ...(spec.compoundIndexes ?? [])]
    .map(
      (fields) =>
        `CREATE INDEX IF NOT EXISTS ${quote(`${table}__${fields.join('__')}`)} ON ${quote(table)} ` +
        `(${[...fields.map(indexColumn), 'id'].join(', ')}) WHERE doc IS NOT NULL;`,
    )
    .join('\n');

/** The FTS5 table that indexes a field's search text in trigrams (substrings of 3+ characters). */
export const searchTable = (table: string, field: string): string => `${table}__fts_${field}`;

/**
 * An external-content FTS5 table over the search column, kept in step by triggers (an upsert is an
 * insert or an update), then filled from the rows already there ('rebuild'). Created only when
 * missing, so the fill runs once: at the end of a rebuild, or when the index is added to a table.
 * With `secure-delete` (see secureSearchIndexDdl).
 */
export const searchIndexDdl = (table: string, field: string): string => {
  const [fts, t, column] = [quote(searchTable(table, field)), quote(table), searchColumn(field)];
  const trigger = (name: string) => quote(`${searchTable(table, field)}_${name}`);
  const remove = `INSERT INTO ${fts} (${fts}, rowid, ${column}) VALUES ('delete', old.rowid, old.${column});`;
  const add = `INSERT INTO ${fts} (rowid, ${column}) VALUES (new.rowid, new.${column});`;
  return [
    `CREATE VIRTUAL TABLE ${fts} USING fts5(${column}, content=${t}, content_rowid='rowid', tokenize='trigram case_sensitive 1');`,
    `INSERT INTO ${fts} (${fts}, rank) VALUES ('secure-delete', 1);`,
    `CREATE TRIGGER ${trigger('insert')} AFTER INSERT ON ${t} BEGIN ${add} END;`,
    `CREATE TRIGGER ${trigger('delete')} AFTER DELETE ON ${t} BEGIN ${remove} END;`,
    `CREATE TRIGGER ${trigger('update')} AFTER UPDATE OF ${column} ON ${t} WHEN old.${column} IS NOT new.${column} BEGIN ${remove} ${add} END;`,
    `INSERT INTO ${fts} (${fts}) VALUES ('rebuild');`,
  ].join('\n');
};

/**
 * FTS5 deletes by adding a marker and keeps the old entries (every trigram of an erased name) in
 * its `_data` table until segments happen to merge: the name could be pieced together from the
 * file. `secure-delete` (SQLite 3.42+, a setting stored in the table) removes them at once instead.
 * For a table made before it, 'optimize' merges every segment once, dropping what was deleted.
 */
export const secureSearchIndexDdl = (table: string, field: string): string => {
  const fts = quote(searchTable(table, field));
  return [`INSERT INTO ${fts} (${fts}, rank) VALUES ('secure-delete', 1);`, `INSERT INTO ${fts} (${fts}) VALUES ('optimize');`].join('\n');
};

/** The `_config` shadow table of a search index, where FTS5 keeps `secure-delete`. */
export const searchConfigTable = (table: string, field: string): string => quote(`${searchTable(table, field)}_config`);
