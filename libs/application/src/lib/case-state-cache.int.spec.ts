import { addDays, DomainError } from '@wih/domain';
import { ConcurrencyError, openSqliteEventStore, type EventStore, type SqliteEventStore } from '@wih/event-store';
import { caseStream, foldCase, handleCaseCommand, type CommandOptions } from './case-commands';
import { CaseStateCache, caseStateCacheOf } from './case-state-cache';
import { IdempotencyKeyReusedError } from './errors';
import { idempotencyRecord } from './idempotency';
import { caseworker, FACHSTELLE, recordVisit, removeDir, tempDir, writeCase } from './projections/testing/fixtures';

// writeCase(n) with n % 6 === 2 leaves an active case assigned to cw-cem with three visits and a mediation.
const ACTIVE = 2;
const CEM = caseworker('cw-cem');

describe('the case state cache in handleCaseCommand', () => {
  let dir: string;
  const stores: SqliteEventStore[] = [];
  const open = (): SqliteEventStore => {
    const store = openSqliteEventStore(dir, { durability: 'normal', pollIntervalMs: 20 });
    stores.push(store);
    return store;
  };

  beforeEach(() => (dir = tempDir('wih-state-cache-')));
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    removeDir(dir);
  });

  const close = (store: EventStore, caseId: string) =>
    handleCaseCommand(
      store,
      (context) => ({
        type: 'CloseCase',
        caseId,
        context,
        data: { closedOn: context.today, reason: 'moved_away', housingAtClose: 'unknown' },
      }),
      FACHSTELLE,
    );

  it('decides on what another store handle wrote after the cache was filled', async () => {
    const [here, elsewhere] = [open(), open()];
    const caseId = await writeCase(here, ACTIVE);
    await recordVisit(here, caseId, CEM, addDays(new Date().toISOString().slice(0, 10), -1));
    expect(caseStateCacheOf(here).size).toBe(1);

    await close(elsewhere, caseId);

    // The cached state says "active"; only the event from the other handle says "closed".
    await expect(recordVisit(here, caseId, CEM, new Date().toISOString().slice(0, 10))).rejects.toBeInstanceOf(DomainError);
  });

  it('replays an idempotent retry whose first answer lies before the cached revision, and refuses the key for another request', async () => {
    const store = open();
    const caseId = await writeCase(store, ACTIVE);
    const visit = (visitedOn: string, options: CommandOptions) =>
      handleCaseCommand(
        store,
        (context) => ({
          type: 'RecordHomeVisit',
          caseId,
          context,
          data: { visitedOn, householdMet: true, concerns: ['tenancy'] },
        }),
        CEM,
        options,
      );
    const today = new Date().toISOString().slice(0, 10);
    const keyed = { idempotency: idempotencyRecord(CEM.userId, 'visit-1', { visitedOn: today }) };
    const first = await visit(today, keyed);
    await recordVisit(store, caseId, CEM, today);
    await recordVisit(store, caseId, CEM, today);

    const retry = await visit(today, keyed);
    expect(retry).toEqual({ ...first, replayed: true });
    const reused = { idempotency: idempotencyRecord(CEM.userId, 'visit-1', { visitedOn: addDays(today, -1) }) };
    await expect(visit(addDays(today, -1), reused)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect((await store.readStream(caseStream(caseId))).at(-1)?.revision).toBe(first.revision + 2);
  });

  it('costs a ConcurrencyError and a full re-read when the cache is ahead of the store', async () => {
    // One handle whose database is swapped for an older copy (say, restored from a backup): its
    // cache then holds revisions the store no longer has.
    const behindDir = tempDir('wih-state-cache-behind-');
    const behind = openSqliteEventStore(behindDir, { durability: 'normal' });
    let target: EventStore = open();
    const conflicts: string[] = [];
    const handle = new Proxy({} as EventStore, {
      get: (_, name: keyof EventStore) => {
        if (name !== 'append') return (target[name] as (...args: unknown[]) => unknown).bind(target);
        return (...args: Parameters<EventStore['append']>) =>
          target.append(...args).catch((error: unknown) => {
            if (error instanceof ConcurrencyError) conflicts.push(error.actual);
            throw error;
          });
      },
    });
    try {
      const caseId = await writeCase(handle, ACTIVE);
      const events = await target.readStream(caseStream(caseId));
      for (const event of events.slice(0, 3)) {
        await behind.append(caseStream(caseId), [event], event.revision === 0 ? 'no-stream' : event.revision - 1);
      }
      target = behind;

      const result = await recordVisit(handle, caseId, CEM, new Date().toISOString().slice(0, 10));
      expect(conflicts).toEqual(['2']);
      expect(result.revision).toBe(3);
      expect((await caseStateCacheOf(handle).load(handle, caseStream(caseId))).state).toEqual(
        foldCase(await behind.readStream(caseStream(caseId))),
      );
    } finally {
      await behind.close();
      removeDir(behindDir);
    }
  });

  it('lets 20 concurrent commands on one case all land, and caches the state a full fold gives', async () => {
    const store = open();
    const caseId = await writeCase(store, ACTIVE);
    const today = new Date().toISOString().slice(0, 10);
    await Promise.all(Array.from({ length: 20 }, () => recordVisit(store, caseId, CEM, today)));

    const events = await store.readStream(caseStream(caseId));
    const view = await caseStateCacheOf(store).load(store, caseStream(caseId));
    expect(view.revision).toBe(events.at(-1)?.revision);
    expect(view.state).toEqual(foldCase(events));
  });
});

describe('CaseStateCache', () => {
  it('keeps the most recently used streams and drops the least recently used one when full', async () => {
    const dir = tempDir('wih-state-cache-lru-');
    const store = openSqliteEventStore(dir, { durability: 'normal' });
    try {
      const cache = new CaseStateCache(2);
      const ids = [await writeCase(store, 1), await writeCase(store, 2), await writeCase(store, 3)];
      await cache.load(store, caseStream(ids[0]));
      await cache.load(store, caseStream(ids[1]));
      await cache.load(store, caseStream(ids[0]));
      await cache.load(store, caseStream(ids[2]));
      const reads: number[] = [];
      const counting = Object.assign(Object.create(store) as EventStore, {
        readStream: (stream: string, options?: { fromRevision?: number }) => {
          reads.push(options?.fromRevision ?? 0);
          return store.readStream(stream, options);
        },
      });
      await cache.load(counting, caseStream(ids[0]));
      await cache.load(counting, caseStream(ids[1]));
      expect(cache.size).toBe(2);
      expect(reads[0]).toBeGreaterThan(0); // still cached: only the tail was read
      expect(reads[1]).toBe(0); // dropped: read from the start
    } finally {
      await store.close();
      removeDir(dir);
    }
  });
});
