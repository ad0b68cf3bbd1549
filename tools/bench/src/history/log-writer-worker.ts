import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { VALUES_PER_ROW, type FlatRows } from './log-writer';

/**
 * Large on purpose: the `id` and `(stream, revision)` indexes take random keys, so every commit
 * writes out index pages all over the file; a few thousand rows per commit wrote each such page
 * dozens of times (measured: more than twice as slow at 600,000 rows).
 */
const ROWS_PER_TRANSACTION = 100_000;

const db = new Database((workerData as { file: string }).file);
// A half-written generated log is thrown away, never used: no rollback journal, no fsync.
// Without the WAL, every page is written once instead of once to the WAL and again at checkpoints.
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.pragma('cache_size = -524288');
const insert = db.prepare<[string, string, number, string, string, string, string]>(
  'INSERT INTO events (stream, category, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
);
const writeAll = db.transaction((batches: readonly FlatRows[]) => {
  for (const rows of batches) {
    for (let i = 0; i < rows.length; i += VALUES_PER_ROW) {
      insert.run(
        rows[i] as string,
        rows[i + 1] as string,
        rows[i + 2] as number,
        rows[i + 3] as string,
        rows[i + 4] as string,
        rows[i + 5] as string,
        rows[i + 6] as string,
      );
    }
  }
});

let batches: FlatRows[] = [];
let rows = 0;
const write = () => {
  writeAll.immediate(batches);
  batches = [];
  rows = 0;
};

parentPort?.on('message', (message: FlatRows | 'close') => {
  if (message === 'close') {
    if (rows > 0) write();
    // Back to WAL, as the store keeps its file (it would switch on open anyway).
    db.pragma('journal_mode = WAL');
    db.close();
    parentPort?.close();
    return;
  }
  batches.push(message);
  rows += message.length / VALUES_PER_ROW;
  if (rows >= ROWS_PER_TRANSACTION) write();
});
