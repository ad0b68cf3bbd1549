import type Database from 'better-sqlite3';
import { closeSync, constants, openSync, watch, writeSync, type FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { PRIVATE_FILE_MODE } from '../files/private-files';
import type { CommitSignal } from '../port';

/** How often a watched connection asks SQLite whether another process committed (ms). */
export const DEFAULT_WATCH_MS = 2;

/**
 * The commits on one SQLite file, as a CommitSignal for one connection (docs/decisions/0043):
 * - this connection's own commits, at once (the store calls `committed`);
 * - another connection's in this process (other worker threads too), at once: the committing
 *   store posts on a BroadcastChannel named after the file;
 * - another process's: SQLite cannot notify, so every commit also rings a bell beside the file
 *   (`<file>-wakeup`, one byte written after the commit is visible), which a listening connection
 *   watches (inotify on Linux): it wakes at once (docs/decisions/0050). Where file events do not
 *   arrive (some network or container mounts), the connection also reads `PRAGMA data_version`
 *   every `intervalMs` while anyone listens, which changes exactly when another connection
 *   committed (about 2 µs, no I/O beyond the shared-memory index).
 * Every wake-up is checked against `data_version`, so neither a ring nor a check wakes for nothing.
 * Nothing runs while nobody listens but the channel's message handler.
 */
export class SqliteCommitWatch implements CommitSignal {
  private readonly listeners = new Set<() => void>();
  private readonly channel: BroadcastChannel | null;
  private readonly dataVersion: Database.Statement<[], unknown>;
  private readonly bell: CommitBell | null;
  private version: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  private bellWatch: FSWatcher | null = null;
  private closed = false;

  constructor(
    db: Database.Database,
    file: string,
    private readonly intervalMs = DEFAULT_WATCH_MS,
  ) {
    this.dataVersion = db.prepare<[], unknown>('PRAGMA data_version').pluck();
    // An in-memory database is this connection's alone: its own commits are all there is.
    const onDisk = file !== '' && file !== ':memory:';
    this.channel = onDisk ? new BroadcastChannel(commitChannelOf(file)) : null;
    this.bell = onDisk ? new CommitBell(`${resolve(file)}-wakeup`) : null;
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
    this.bell?.ring();
    this.channel?.postMessage(0);
    this.notify();
  }

  /** Wakes every listener (their next read reports the closed store) and stops watching. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    this.channel?.close();
    this.bell?.close();
    this.notify();
    this.listeners.clear();
  }

  private start(): void {
    // Watched before the version is read: a ring after that read is not missed.
    this.bellWatch = this.bell?.watch(() => this.check(false)) ?? null;
    // Read when the first listener arms, before the read it guards: a commit after this is noticed.
    this.version = this.readVersion();
    this.timer = setInterval(() => this.check(false), this.intervalMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.bellWatch?.close();
    this.bellWatch = null;
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

const RING = Buffer.from([1]);

/**
 * The bell other processes' connections watch: the same byte written over and over at offset 0
 * (the file never grows, holds nothing and is not fsynced: a ring is a hint, `data_version` is the
 * truth). Written after the commit returns, so a watcher woken by it finds the commit visible;
 * SQLite's own WAL write comes before its fsync and the shared-memory index it publishes in, which
 * is why the WAL itself is not watched (decision 0043). Any failure silences the bell for good and
 * leaves the `data_version` checks.
 */
class CommitBell {
  private fd: number | null = null;
  private broken = false;
  /** Known to be there: a watch starts on every first listener (each read-your-writes wait), without touching the file again. */
  private exists = false;

  constructor(private readonly path: string) {}

  ring(): void {
    if (this.broken) return;
    try {
      this.fd ??= this.open();
      writeSync(this.fd, RING, 0, 1, 0);
    } catch {
      this.close();
      this.broken = true;
    }
  }

  /** Calls `rung` on every write by any process; null where the file cannot be watched (the checks remain). */
  watch(rung: () => void): FSWatcher | null {
    try {
      if (!this.exists) closeSync(this.open());
      // Not persistent: a watch must not keep a process alive that has nothing else to do.
      const watcher = watch(this.path, { persistent: false }, () => rung());
      watcher.on('error', () => watcher.close());
      return watcher;
    } catch {
      return null;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): number {
    const fd = openSync(this.path, constants.O_WRONLY | constants.O_CREAT, PRIVATE_FILE_MODE);
    this.exists = true;
    return fd;
  }
}

/** One channel per file, whichever path it was opened by. */
const commitChannelOf = (file: string): string => `wih:sqlite-commits:${resolve(file)}`;
