import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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
  mkdirSync(dirname(file), { recursive: true });
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
    // Positions are bigint: read every integer as one (counts and lease expiries are converted back).
    db.defaultSafeIntegers(true);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/** Identifiers are validated before they get here; quoting is the second line of defence. */
export const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

export const indexColumn = (field: string): string => quote(`ix_${field}`);
export const searchColumn = (field: string): string => quote(`lc_${field}`);

/**
 * A collection's table: the document as JSON (NULL: deleted, kept as a tombstone so that a
 * replayed older write cannot bring the document back), the position of the last event applied,
 * and per index field its value (no declared type, so values keep their type: '10' stays text)
 * and its search text for `contains`. Each index serves `ORDER BY field, id` and the keyset.
 */
export const collectionDdl = (table: string, spec: CollectionSpec): string => {
  const columns = spec.indexes.flatMap((field) => [indexColumn(field), `${searchColumn(field)} TEXT`]);
  const indexes = spec.indexes.map(
    (field) =>
      `CREATE INDEX IF NOT EXISTS ${quote(`${table}__${field}`)} ON ${quote(table)} (${indexColumn(field)}, id) ` +
      'WHERE doc IS NOT NULL;',
  );
  return [
    `CREATE TABLE IF NOT EXISTS ${quote(table)} (`,
    ['id TEXT PRIMARY KEY NOT NULL', 'doc TEXT', 'position INTEGER NOT NULL', ...columns].join(', '),
    ');',
    ...indexes,
  ].join('\n');
};
