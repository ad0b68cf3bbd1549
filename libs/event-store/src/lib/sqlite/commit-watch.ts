import type Database from 'better-sqlite3';
import { resolve } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import type { CommitSignal } from '../port';

/** How often a watched connection asks SQLite whether another process committed (ms). */
export const DEFAULT_WATCH_MS = 2;

/**
 * The commits on one SQLite file, as a CommitSignal for one connection (docs/decisions/0043):
 * - this connection's own commits, at once (the store calls `committed`);
 * - another connection's in this process (other worker threads too), at once: the committing
 *   store posts on a BroadcastChannel named after the file;
 * - another process's: SQLite cannot notify, so while anyone listens the connection reads
 *   `PRAGMA data_version` every `intervalMs`, which changes exactly when another connection
 *   committed (about 2 µs, no I/O beyond the shared-memory index).
 * Nothing runs while nobody listens but the channel's message handler.
 */
export class SqliteCommitWatch implements CommitSignal {
  private readonly listeners = new Set<() => void>();
  private readonly channel: BroadcastChannel | null;
  private readonly dataVersion: Database.Statement<[], unknown>;
  private version: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    db: Database.Database,
    file: string,
    private readonly intervalMs = DEFAULT_WATCH_MS,
  ) {
    this.dataVersion = db.prepare<[], unknown>('PRAGMA data_version').pluck();
    // An in-memory database is this connection's alone: its own commits are all there is.
    this.channel = file === '' || file === ':memory:' ? null : new BroadcastChannel(commitChannelOf(file));
    if (this.channel) {
      this.channel.onmessage = () => this.check(true);
      // The channel must not keep a process alive that has nothing else to do.
      this.channel.unref();
    }
  }

  listen(listener: () => void): () => void {
    if (this.closed) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** After a commit on this connection: its listeners now, the other handles on the file through the channel. */
  committed(): void {
    if (this.closed) return;
    this.channel?.postMessage(0);
    this.notify();
  }

  /** Wakes every listener (their next read reports the closed store) and stops watching. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    this.channel?.close();
    this.notify();
    this.listeners.clear();
  }

  private start(): void {
    // Read when the first listener arms, before the read it guards: a commit after this is noticed.
    this.version = this.readVersion();
    this.timer = setInterval(() => this.check(false), this.intervalMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** `known`: another handle in this process said it committed; otherwise only a changed version wakes. */
  private check(known: boolean): void {
    if (this.closed || this.listeners.size === 0) return;
    const version = this.readVersion();
    if (!known && version === this.version) return;
    // The version is only ever moved on together with a wake-up, so no commit goes unnoticed.
    this.version = version;
    this.notify();
  }

  private readVersion(): unknown {
    try {
      return this.dataVersion.get();
    } catch (error) {
      // The readers' own read reports what went wrong; a fresh object always differs, so they wake.
      return { error };
    }
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** One channel per file, whichever path it was opened by. */
const commitChannelOf = (file: string): string => `wih:sqlite-commits:${resolve(file)}`;
