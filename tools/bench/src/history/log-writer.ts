import { SqliteEventStore } from '@wih/event-store';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** One row of the event store's `events` table (the position is assigned on insert). */
export interface LogRow {
  readonly stream: string;
  readonly category: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** Rows are handed to the writer thread flattened, seven values per row: cheap to clone. */
export type FlatRows = (string | number)[];
export const VALUES_PER_ROW = 7;
const ROWS_PER_MESSAGE = 20_000;

/**
 * Writes a generated log straight into the event store's table: a million single-event appends
 * would each pay a transaction (and an fsync); batched rows cost a fraction. The inserts run in a
 * worker thread, so that SQLite's index maintenance overlaps with generating the next cases. The
 * store itself creates the file, so the schema is exactly the one it reads.
 */
export class LogWriter {
  private pending: FlatRows = [];
  private failure: Error | null = null;
  private readonly exited: Promise<number>;
  written = 0;

  private constructor(private readonly worker: Worker) {
    worker.on('error', (error) => (this.failure = error));
    this.exited = new Promise((resolve) => worker.once('exit', resolve));
  }

  static async create(file: string): Promise<LogWriter> {
    const store = new SqliteEventStore(file, { durability: 'normal' });
    const empty = (await store.headPosition()) === 0n;
    await store.close();
    if (!empty) throw new Error('the event log to generate into is not empty');
    return new LogWriter(new Worker(join(__dirname, 'log-writer-worker.js'), { workerData: { file } }));
  }

  add(row: LogRow): void {
    this.pending.push(row.stream, row.category, row.revision, row.id, row.type, row.data, row.metadata);
    if (this.pending.length >= ROWS_PER_MESSAGE * VALUES_PER_ROW) this.flush();
  }

  private flush(): void {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    this.worker.postMessage(this.pending);
    this.written += this.pending.length / VALUES_PER_ROW;
    this.pending = [];
  }

  /** Resolves once every row is in the file and the file is back in WAL mode. */
  async close(): Promise<void> {
    this.flush();
    this.worker.postMessage('close');
    const code = await this.exited;
    if (this.failure) throw this.failure;
    if (code !== 0) throw new Error(`the log writer exited with ${code}`);
  }
}
