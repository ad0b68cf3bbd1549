import type Database from 'better-sqlite3';
import type { EventMetadata, RecordedEvent } from '../port';

/** A row as read with safe integers on. */
export interface EventRow {
  readonly position: bigint;
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

type InsertParams = [stream: string, category: string, revision: number, id: string, type: string, data: string, metadata: string];

const COLUMNS = 'position, stream, revision, id, type, data, metadata';

/** Every statement the store runs, prepared once per connection. */
export const prepareStatements = (db: Database.Database) => ({
  insert: db.prepare<InsertParams>(
    'INSERT INTO events (stream, category, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  streamRevision: db.prepare<[string], bigint | null>('SELECT max(revision) FROM events WHERE stream = ?').pluck(),
  readStream: db.prepare<[string, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`),
  readAll: db.prepare<[bigint, number], EventRow>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
  readCategory: db.prepare<[bigint, string, number], EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE position > ? AND category = ? ORDER BY position LIMIT ?`,
  ),
  // The partition predicate is `partitionOf` (streams.ts) in SQL, evaluated before a row is decoded.
  readAllPart: db.prepare<[bigint, number, number, number], EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE position > ? AND unicode(substr(stream, -1)) % ? = ? ORDER BY position LIMIT ?`,
  ),
  readCategoryPart: db.prepare<[bigint, string, number, number, number], EventRow>(
    `SELECT ${COLUMNS} FROM events WHERE position > ? AND category = ? AND unicode(substr(stream, -1)) % ? = ? ORDER BY position LIMIT ?`,
  ),
  last: db.prepare<[], EventRow>(`SELECT ${COLUMNS} FROM events ORDER BY position DESC LIMIT 1`),
  head: db.prepare<[], bigint | null>('SELECT max(position) FROM events').pluck(),
  categoryCount: db.prepare<[string], number>('SELECT count(*) FROM events WHERE category = ?').pluck(),
  categoryHead: db.prepare<[string], bigint>('SELECT position FROM events WHERE category = ? ORDER BY position DESC LIMIT 1').pluck(),
  ping: db.prepare<[], bigint>('SELECT 1').pluck(),
});

export type Statements = ReturnType<typeof prepareStatements>;

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.id,
  type: row.type,
  data: JSON.parse(row.data) as unknown,
  // Only this store writes the column, always from an EventMetadata.
  metadata: JSON.parse(row.metadata) as EventMetadata,
  streamName: row.stream,
  revision: Number(row.revision),
  position: row.position,
});
