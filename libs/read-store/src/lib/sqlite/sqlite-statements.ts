import type Database from 'better-sqlite3';

export interface LeaseRow {
  readonly name: string;
  readonly owner: string;
  readonly expires_at: bigint | number;
}

export interface CheckpointRow {
  readonly position: bigint;
  readonly fence: bigint | null;
}

export interface MetaRow {
  readonly key: string;
  readonly value: string;
}

const UPSERT_LEASE =
  'INSERT INTO leases (name, owner, expires_at, fence) VALUES (@name, @owner, @expiresAt, 1) ON CONFLICT (name) DO UPDATE ' +
  'SET owner = excluded.owner, expires_at = excluded.expires_at, fence = leases.fence + (leases.owner <> excluded.owner)';

/** The statements on the store's own tables, prepared once per connection. */
export const prepareStatements = (db: Database.Database) => ({
  collectionIndexes: db.prepare<[string], string>('SELECT indexes FROM collections WHERE name = ?').pluck(),
  registerCollection: db.prepare<[string, string]>('INSERT INTO collections (name, indexes) VALUES (?, ?)'),
  forgetCollection: db.prepare<[string]>('DELETE FROM collections WHERE name = ?'),
  collectionsFrom: db.prepare<[string], string>('SELECT name FROM collections WHERE name >= ? ORDER BY name').pluck(),
  collectionsBetween: db
    .prepare<[string, string], string>('SELECT name FROM collections WHERE name >= ? AND name < ? ORDER BY name')
    .pluck(),
  // What a drop removes before the rows: the table's triggers and its indexes other than the primary key's.
  dependents: db.prepare<[string], { type: string; name: string }>(
    "SELECT type, name FROM sqlite_master WHERE tbl_name = ? AND type IN ('trigger', 'index') AND sql IS NOT NULL ORDER BY type DESC, name",
  ),
  tableExists: db.prepare<[string], bigint>("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck(),
  // A collection's FTS5 tables (not their shadow tables, which go with them).
  searchTables: db
    .prepare<[string], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ? AND sql LIKE 'CREATE VIRTUAL TABLE%'")
    .pluck(),

  checkpoint: db.prepare<[string], bigint>('SELECT position FROM checkpoints WHERE name = ?').pluck(),
  checkpointRow: db.prepare<[string], CheckpointRow>('SELECT position, fence FROM checkpoints WHERE name = ?'),
  // A move without a fence keeps the stored one.
  setCheckpoint: db.prepare<[string, bigint, number | null]>(
    'INSERT INTO checkpoints (name, position, fence) VALUES (?, ?, ?) ' +
      'ON CONFLICT (name) DO UPDATE SET position = excluded.position, fence = coalesce(excluded.fence, checkpoints.fence)',
  ),
  deleteCheckpoint: db.prepare<[string]>('DELETE FROM checkpoints WHERE name = ?'),

  // One statement: takes the lease when it is free, expired or the owner's, and answers its fence
  // (no row: refused). The fence grows when the owner changes. A released lease keeps its row with
  // owner '' and expiry 0, so that the next owner's fence is higher still.
  acquireLease: db
    .prepare<[{ name: string; owner: string; expiresAt: number; now: number }], bigint>(
      `${UPSERT_LEASE} WHERE leases.owner = @owner OR leases.expires_at <= @now RETURNING fence`,
    )
    .pluck(),
  // The holder is gone (its process released the operating-system lock by ending): taken whatever its expiry.
  takeOverLease: db.prepare<[{ name: string; owner: string; expiresAt: number }], bigint>(`${UPSERT_LEASE} RETURNING fence`).pluck(),
  releaseLease: db.prepare<[string, string]>("UPDATE leases SET owner = '', expires_at = 0 WHERE name = ? AND owner = ?"),
  lease: db.prepare<[string], LeaseRow>("SELECT name, owner, expires_at FROM leases WHERE name = ? AND owner <> ''"),

  meta: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
  setMeta: db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ),
  insertMeta: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
  // Values are stored as canonical JSON, so comparing text compares values.
  replaceMeta: db.prepare<[string, string, string]>('UPDATE meta SET value = ? WHERE key = ? AND value = ?'),
  deleteMeta: db.prepare<[string]>('DELETE FROM meta WHERE key = ?'),
  metaFrom: db.prepare<[string], MetaRow>('SELECT key, value FROM meta WHERE key >= ? ORDER BY key'),
  metaBetween: db.prepare<[string, string], MetaRow>('SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key'),

  ping: db.prepare<[], bigint>('SELECT 1').pluck(),
});

export type Statements = ReturnType<typeof prepareStatements>;
