import Database from 'better-sqlite3';
import { preparePrivateFile } from '../files/private-files';

/**
 * `full`: every append is fsynced before it returns, so an acknowledged command survives a power
 * loss. `normal`: in WAL mode the database stays consistent, but the last commits before a power
 * loss (not a process crash) may be lost; faster, for when that trade is acceptable.
 */
export type Durability = 'full' | 'normal';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream   TEXT    NOT NULL,
    category TEXT    NOT NULL,
    revision INTEGER NOT NULL,
    id       TEXT    NOT NULL UNIQUE,
    type     TEXT    NOT NULL,
    data     TEXT    NOT NULL,
    metadata TEXT    NOT NULL,
    UNIQUE (stream, revision)
  );
  CREATE INDEX IF NOT EXISTS events_category_position ON events (category, position);
`;

/** Opens (creating if needed) the event database: WAL, the chosen durability, the schema. */
export const openEventDatabase = (file: string, durability: Durability): Database.Database => {
  preparePrivateFile(file);
  // Waits up to 5 s for another connection's write lock instead of failing at once.
  const db = new Database(file, { timeout: 5000 });
  try {
    // WAL lets readers (projections, other processes) read while a writer appends.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.exec(SCHEMA);
    // The port's positions are bigint: read every integer as one (revisions are converted back).
    db.defaultSafeIntegers(true);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};
