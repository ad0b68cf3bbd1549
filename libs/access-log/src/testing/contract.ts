import { randomUUID } from 'node:crypto';
import { ACCESS_ACTIONS, InvalidAccessEntryError, type AccessEntry, type AccessLog, type AccessLogCopy } from '../lib/port';

export interface OpenedLog {
  /** An adapter: the port, and what a store migration uses to copy a log. */
  readonly log: AccessLog & AccessLogCopy;
  /** Closes the log (twice must be harmless) and removes what the test opened. */
  readonly cleanup: () => Promise<void>;
}

/** An entry of a user and case of this test run (ids random, so a shared server's data never matches). */
export const entry = (overrides: Partial<AccessEntry> = {}): AccessEntry => ({
  id: randomUUID(),
  at: '2026-03-01T09:00:00.000Z',
  userId: `user-${randomUUID().slice(0, 8)}`,
  role: 'caseworker',
  caseId: randomUUID(),
  action: 'detail',
  ...overrides,
});

/**
 * The behaviour every AccessLog adapter must show. Each test filters on a user or case id of its
 * own, so the suite can run against a server that already holds entries.
 */
export const accessLogContract = (name: string, open: () => Promise<OpenedLog>): void => {
  describe(`AccessLog contract: ${name}`, () => {
    let opened: OpenedLog | undefined;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.cleanup();
    });
    const log = (): AccessLog & AccessLogCopy => {
      if (!opened) throw new Error('access log did not open');
      return opened.log;
    };

    it('gives back exactly what was appended, ordered by time, then id', async () => {
      const userId = `user-${randomUUID()}`;
      const later = entry({ userId, at: '2026-03-01T10:00:00.000Z', action: 'timeline' });
      const sameTime = [entry({ userId, id: 'b-entry' }), entry({ userId, id: 'a-entry', role: 'fachstelle', action: 'caseload' })];
      await log().append([later]);
      await log().append(sameTime);
      expect(await log().find({ userId, limit: 10 })).toEqual([sameTime[1], sameTime[0], later]);
    });

    it('filters by user, case and time (from inclusive, before exclusive), combined', async () => {
      const userId = `user-${randomUUID()}`;
      const caseId = randomUUID();
      const at = (hour: number) => `2026-03-02T${String(hour).padStart(2, '0')}:00:00.000Z`;
      const entries = [
        entry({ userId, caseId, at: at(8) }),
        entry({ userId, caseId, at: at(9) }),
        entry({ userId, at: at(10) }),
        entry({ caseId, at: at(11) }),
        entry({ userId, caseId, at: at(12) }),
      ];
      await log().append(entries);
      const ids = async (query: Parameters<AccessLog['find']>[0]) => (await log().find(query)).map((e) => e.id);
      expect(await ids({ caseId, limit: 10 })).toEqual([entries[0], entries[1], entries[3], entries[4]].map((e) => e.id));
      expect(await ids({ userId, caseId, limit: 10 })).toEqual([entries[0], entries[1], entries[4]].map((e) => e.id));
      expect(await ids({ userId, from: at(9), before: at(12), limit: 10 })).toEqual([entries[1], entries[2]].map((e) => e.id));
      expect(await ids({ userId, caseId: randomUUID(), limit: 10 })).toEqual([]);
    });

    it('pages with a cursor: every entry once, also across entries of the same instant', async () => {
      const userId = `user-${randomUUID()}`;
      const entries = Array.from({ length: 7 }, (_, i) => entry({ userId, at: `2026-03-03T09:00:0${i % 3}.000Z` }));
      await log().append(entries);
      const seen: AccessEntry[] = [];
      for (let page = await log().find({ userId, limit: 3 }); page.length > 0;) {
        seen.push(...page);
        const last = page[page.length - 1];
        page = await log().find({ userId, limit: 3, after: { at: last.at, id: last.id } });
      }
      const order = (a: AccessEntry, b: AccessEntry) => a.at.localeCompare(b.at) || (a.id < b.id ? -1 : 1);
      expect(seen).toEqual([...entries].sort(order));
    });

    it("stores every action of ACCESS_ACTIONS, the access report's included", async () => {
      const caseId = randomUUID();
      const entries = ACCESS_ACTIONS.map((action, i) => entry({ caseId, action, at: `2026-03-04T09:00:0${i}.000Z` }));
      await log().append(entries);
      expect((await log().find({ caseId, limit: 10 })).map((e) => e.action)).toEqual([...ACCESS_ACTIONS]);
      expect(ACCESS_ACTIONS).toContain('access-report');
    });

    it('refuses an entry with any other field (no personal data by accident) and writes none of the batch', async () => {
      const userId = `user-${randomUUID()}`;
      const withName = { ...entry({ userId }), householdName: 'Testhaushalt' } as AccessEntry;
      await expect(log().append([entry({ userId }), withName])).rejects.toThrow(InvalidAccessEntryError);
      await expect(log().append([entry({ userId, at: '2026-03-01' })])).rejects.toThrow(InvalidAccessEntryError);
      await expect(log().append([entry({ userId, action: 'update' as AccessEntry['action'] })])).rejects.toThrow(InvalidAccessEntryError);
      expect(await log().find({ userId, limit: 10 })).toEqual([]);
    });

    it('refuses a query it cannot answer', async () => {
      await expect(log().find({ limit: 0 })).rejects.toThrow(InvalidAccessEntryError);
      await expect(log().find({ from: 'yesterday', limit: 1 })).rejects.toThrow(InvalidAccessEntryError);
    });

    it('has no way to change or remove an entry', () => {
      const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(log())).filter((m) => m !== 'constructor');
      expect(methods.filter((m) => /update|delete|remove|replace|clear|drop|truncate/i.test(m))).toEqual([]);
    });

    it('answers ping, and closing twice is harmless', async () => {
      expect(await log().ping()).toBe(true);
      const own = await open();
      await own.log.close();
      await own.cleanup();
    });

    it('is copied entry by entry: the last entry tells where a copy resumes, and an entry already there is never added twice', async () => {
      const own = await open();
      try {
        expect(await own.log.lastEntry()).toBeNull();
        expect(await own.log.countEntries()).toBe(0);
        const entries = [
          entry({ at: '2026-03-01T09:00:00.000Z', id: 'a-1' }),
          entry({ at: '2026-03-01T09:00:00.000Z', id: 'a-2', action: 'timeline' }),
          entry({ at: '2026-03-02T10:30:00.500Z', id: 'a-0', action: 'caseload' }),
        ];
        expect(await own.log.importEntries(entries.slice(0, 2))).toBe(2);
        expect(await own.log.lastEntry()).toEqual(entries[1]);
        expect(await own.log.importEntries(entries)).toBe(1);
        expect(await own.log.importEntries([])).toBe(0);
        expect(await own.log.lastEntry()).toEqual(entries[2]);
        expect(await own.log.countEntries()).toBe(3);
        expect(await own.log.find({ limit: 10 })).toEqual(entries);
      } finally {
        await own.cleanup();
      }
    });
  });
};
