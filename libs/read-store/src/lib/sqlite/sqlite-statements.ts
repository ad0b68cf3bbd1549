import type Database from 'better-sqlite3';

export interface LeaseRow {
  readonly name: string;
  readonly owner: string;
  readonly expires_at: bigint | number;
}

export interface MetaRow {
  readonly key: string;
  readonly value: string;
}

/** The statements on the store's own tables, prepared once per connection. */
export const prepareStatements = (db: Database.Database) => ({
  collectionIndexes: db.prepare<[string], string>('SELECT indexes FROM collections WHERE name = ?').pluck(),
  registerCollection: db.prepare<[string, string]>('INSERT INTO collections (name, indexes) VALUES (?, ?)'),
  forgetCollection: db.prepare<[string]>('DELETE FROM collections WHERE name = ?'),
  tableExists: db.prepare<[string], bigint>("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck(),
  // A collection's FTS5 tables (not their shadow tables, which go with them).
  searchTables: db.prepare<[string], string>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ? AND sql LIKE 'CREATE VIRTUAL TABLE%'",
  ).pluck(),

  checkpoint: db.prepare<[string], bigint>('SELECT position FROM checkpoints WHERE name = ?').pluck(),
  setCheckpoint: db.prepare<[string, bigint]>(
    'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
  ),
  deleteCheckpoint: db.prepare<[string]>('DELETE FROM checkpoints WHERE name = ?'),

  // One statement: takes the lease when it is free, expired or the owner's; `changes` says whether it did.
  acquireLease: db.prepare<[{ name: string; owner: string; expiresAt: number; now: number }]>(
    'INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @expiresAt) ON CONFLICT (name) DO UPDATE ' +
      'SET owner = excluded.owner, expires_at = excluded.expires_at WHERE leases.owner = @owner OR leases.expires_at <= @now',
  ),
  releaseLease: db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND owner = ?'),
  lease: db.prepare<[string], LeaseRow>('SELECT name, owner, expires_at FROM leases WHERE name = ?'),

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
