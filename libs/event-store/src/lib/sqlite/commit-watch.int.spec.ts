import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { openSync, closeSync, statSync, watch, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { idsOf, newEvent, subscribeUntil, uniqueStream } from '../../testing';
import { SqliteCommitWatch } from './commit-watch';
import { SqliteEventStore } from './sqlite-event-store';
import { armWakeup } from './wakeup';

/**
 * Every wait below has a safety-net poll far beyond the test's own timeout: a wake-up that only
 * the poll would deliver fails the test instead of passing late.
 */
const NEVER = 600_000;

const run = promisify(execFile);

describe('SqliteCommitWatch and the subscriptions it wakes', () => {
  let dir: string;
  let file: string;
  const closers: (() => unknown)[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'commit-watch-'));
    file = join(dir, 'events.sqlite');
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await rm(dir, { recursive: true, force: true });
  });

  const openStore = (options: { watchIntervalMs?: number } = {}): SqliteEventStore => {
    const store = new SqliteEventStore(file, { durability: 'normal', pollIntervalMs: NEVER, ...options });
    closers.push(() => store.close());
    return store;
  };
  /** A connection that tells nobody: what another process's commits look like to this one. */
  const foreignConnection = (): Database.Database => {
    const db = new Database(file);
    closers.push(() => db.close());
    db.exec('CREATE TABLE IF NOT EXISTS other (x)');
    return db;
  };

  it("wakes a subscription on another handle at once when this process appends (the threads' channel)", async () => {
    // Its data_version check never runs within the test: only the channel can wake it.
    const reader = openStore({ watchIntervalMs: NEVER });
    const writer = openStore();
    const stream = uniqueStream();
    const subscription = subscribeUntil(reader, { category: 'case' }, 2);
    await new Promise((resolve) => setImmediate(resolve));
    const first = newEvent();
    const second = newEvent();
    await writer.append(stream, [first], 'no-stream');
    await writer.append(stream, [second], 0);
    await subscription.done;
    expect(idsOf(subscription.batches.flat())).toEqual(idsOf([first, second]));
  });

  it('wakes a subscription when another process appends (PRAGMA data_version)', async () => {
    const reader = openStore({ watchIntervalMs: 2 });
    const writer = openStore();
    await writer.append(uniqueStream(), [newEvent()], 'no-stream'); // creates the schema
    const head = await reader.headPosition();
    const subscription = subscribeUntil(reader, { after: head, category: 'case' }, 1);
    const script = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(file)}, { timeout: 5000 });
      db.prepare('INSERT INTO events (stream, category, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run('case-from-another-process', 'case', 0, 'another-process-event', 'TestHappened', '{}', '{}');
      db.close();`;
    await run(process.execPath, ['-e', script]);
    await subscription.done;
    expect(idsOf(subscription.batches.flat())).toEqual(['another-process-event']);
  }, 20_000);

  it("wakes a subscription at once when another process commits and rings the file's bell", async () => {
    // No data_version check within the test: only the bell can wake it.
    const reader = openStore({ watchIntervalMs: NEVER });
    const writer = openStore();
    await writer.append(uniqueStream(), [newEvent()], 'no-stream'); // creates the schema (and rings)
    const head = await reader.headPosition();
    const subscription = subscribeUntil(reader, { after: head, category: 'case' }, 1);
    await new Promise((resolve) => setImmediate(resolve));
    // What the store does in another process: commit, then write the bell's byte.
    const script = `
      const fs = require('node:fs');
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(file)}, { timeout: 5000 });
      db.prepare('INSERT INTO events (stream, category, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run('case-rung-by-another-process', 'case', 0, 'rung-event', 'TestHappened', '{}', '{}');
      db.close();
      const fd = fs.openSync(${JSON.stringify(`${file}-wakeup`)}, 'r+');
      fs.writeSync(fd, Buffer.from([1]), 0, 1, 0);
      fs.closeSync(fd);`;
    await run(process.execPath, ['-e', script]);
    await subscription.done;
    expect(idsOf(subscription.batches.flat())).toEqual(['rung-event']);
  }, 20_000);

  it('rings the bell after each of its commits, a byte in a file of 0600 that never grows', async () => {
    const store = openStore();
    await store.append(uniqueStream(), [newEvent()], 'no-stream');
    const bell = `${file}-wakeup`;
    const rung = new Promise<void>((resolve) => {
      const watcher = watch(bell, () => {
        watcher.close();
        resolve();
      });
    });
    await store.append(uniqueStream(), [newEvent()], 'no-stream');
    await rung;
    expect(statSync(bell).size).toBe(1);
    expect((statSync(bell).mode & 0o777).toString(8)).toBe('600');
  });

  it('does not wake for a ring without a commit: data_version decides', async () => {
    const db = new Database(file);
    closers.push(() => db.close());
    const commits = new SqliteCommitWatch(db, file, NEVER);
    closers.push(() => commits.close());
    let wakes = 0;
    commits.listen(() => (wakes += 1));
    const bell = `${file}-wakeup`;
    // The test's own watch sees the ring delivered; the commit watch got the same event by then.
    const delivered = new Promise<void>((resolve) => {
      const watcher = watch(bell, () => {
        watcher.close();
        setTimeout(resolve, 20);
      });
    });
    const fd = openSync(bell, 'r+');
    writeSync(fd, Buffer.from([1]), 0, 1, 0);
    closeSync(fd);
    await delivered;
    expect(wakes).toBe(0);
    foreignConnection().prepare('INSERT INTO other VALUES (1)').run();
    const rung = openSync(bell, 'r+');
    writeSync(rung, Buffer.from([1]), 0, 1, 0);
    closeSync(rung);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => wakes > 0 && (clearInterval(poll), resolve()), 1);
    });
    expect(wakes).toBe(1);
  });

  it('does not lose a commit made between arming and the wait', async () => {
    const store = openStore({ watchIntervalMs: 2 });
    await store.append(uniqueStream(), [newEvent()], 'no-stream');
    const other = foreignConnection();
    const wakeup = armWakeup([store.commitSignal], NEVER);
    // The commit lands after arming but before anything awaits: it must still wake the wait.
    other.prepare('INSERT INTO other VALUES (1)').run();
    await wakeup.promise;
    wakeup.cancel();
  });

  it('wakes its own listeners on its own commits, which data_version does not count', async () => {
    const db = new Database(file);
    closers.push(() => db.close());
    const watch = new SqliteCommitWatch(db, file, NEVER);
    closers.push(() => watch.close());
    const woken: string[] = [];
    const stop = watch.listen(() => woken.push('first'));
    watch.listen(() => woken.push('second'));
    watch.committed();
    stop();
    watch.committed();
    expect(woken).toEqual(['first', 'second', 'second']);
  });

  it('stays silent while nothing changes and wakes once another connection commits', async () => {
    const db = new Database(file);
    closers.push(() => db.close());
    const watch = new SqliteCommitWatch(db, file, 1);
    closers.push(() => watch.close());
    const other = foreignConnection();
    let wakes = 0;
    const woken = new Promise<void>((resolve) =>
      watch.listen(() => {
        wakes += 1;
        resolve();
      }),
    );
    // Several checks pass with nothing committed: none of them wakes.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(wakes).toBe(0);
    other.prepare('INSERT INTO other VALUES (1)').run();
    await woken;
    expect(wakes).toBe(1);
  });

  it('wakes every listener when closed, and a listener armed afterwards at once', async () => {
    const db = new Database(file);
    closers.push(() => db.close());
    const watch = new SqliteCommitWatch(db, file, NEVER);
    const before = armWakeup([watch], NEVER);
    watch.close();
    await before.promise;
    const after = armWakeup([watch], NEVER);
    await after.promise;
  });
});
