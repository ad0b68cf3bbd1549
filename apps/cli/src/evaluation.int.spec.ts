import { handleCaseCommand, receiveReferral, replayFacts, type Actor } from '@wih/application';
import { addDays, businessDateOf } from '@wih/domain';
import { annualReport, anonymise, caseExportRows, computeStatistics } from '@wih/evaluation';
import { openSqliteEventStore, type SqliteEventStore } from '@wih/event-store';
import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluationCommands, UsageError } from './evaluation';

const NAME = 'Zyxwvu Plantname';
const ADDRESS = 'Qwertzstraße 99';
const PHONE = '0221-555-9999';
const NOTE = 'Notiz-Geheim-4711';
const PLANTED = [NAME, 'Zyxwvu', 'Plantname', ADDRESS, 'Qwertz', PHONE, '555-9999', NOTE, 'Geheim'];

const CASEWORKER: Actor = { userId: 'anna', role: 'caseworker' };
const FACHSTELLE: Actor = { userId: 'fs-1', role: 'fachstelle' };
const today = () => businessDateOf(new Date());
const daysAgo = (n: number) => addDays(today(), -n);

/** Six cases with personal data in every free-text field, written through the command handlers. */
async function plantHistory(store: SqliteEventStore): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < 6; n++) {
    const { caseId } = await receiveReferral(
      store,
      {
        receivedOn: daysAgo(90 - n),
        referralSource: 'jobcenter',
        targetGroup: 'recommitted',
        housingSituation: 'seized_flat',
        threatCauses: ['rent_arrears'],
        adults: 1,
        children: n % 2,
        existingAid: [],
        consentGiven: true,
        household: { name: `${NAME} ${n}`, address: ADDRESS, phone: PHONE },
        notes: NOTE,
      },
      CASEWORKER,
    );
    const [received] = await store.readStream(`case-${caseId}`);
    ids.push(caseId, (received.data as { householdId: string }).householdId);
    const approvedOn = daysAgo(80 - n);
    await handleCaseCommand(
      store,
      (context) => ({
        type: 'ApproveReferral',
        caseId,
        context,
        data: { approvedOn, assignedCaseworkerId: 'anna', plannedEndOn: addDays(approvedOn, 300) },
      }),
      FACHSTELLE,
    );
    await handleCaseCommand(
      store,
      (context) => ({
        type: 'RecordHomeVisit',
        caseId,
        context,
        data: { visitedOn: daysAgo(70 - n), householdMet: true, concerns: ['tenancy'], notes: `${NOTE} ${NAME}` },
      }),
      CASEWORKER,
    );
    if (n % 2 === 0) {
      await handleCaseCommand(
        store,
        (context) => ({
          type: 'CloseCase',
          caseId,
          context,
          data: { closedOn: daysAgo(10), reason: 'moved_away', housingAtClose: 'unknown', notes: `${NOTE} ${PHONE}` },
        }),
        CASEWORKER,
      );
    }
  }
  return ids;
}

describe('cli: report and export', () => {
  let dir: string;
  let ids: string[];
  const year = Number(today().slice(0, 4));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wih-cli-evaluation-'));
    const store = openSqliteEventStore(dir, { durability: 'normal' });
    ids = await plantHistory(store);
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the CLI's commands as `wih <args>`, on the planted store; answers stdout, stderr and progress calls. */
  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const progress: [number, bigint, bigint][] = [];
    let stopped = false;
    const program = new Command('wih').exitOverride().configureOutput({ writeOut: (s) => err.push(s), writeErr: (s) => err.push(s) });
    evaluationCommands(program, {
      openStore: () => openSqliteEventStore(dir, { durability: 'normal' }),
      write: (text) => out.push(text),
      progress: () => ({
        update: (...call) => progress.push(call),
        stop: () => {
          stopped = true;
        },
      }),
      warn: (text) => err.push(text),
    });
    await program.parseAsync(args, { from: 'user' });
    return { stdout: out.join(''), stderr: err.join(''), progress, stopped };
  }

  it('report --format json: the annual report of the library over the store', async () => {
    const asOf = daysAgo(1);
    const { stdout, progress, stopped } = await run('report', '--year', String(year), '--format', 'json', '--as-of', asOf);
    const report = JSON.parse(stdout);
    const store = openSqliteEventStore(dir, { durability: 'normal' });
    try {
      expect(report).toEqual(annualReport(await replayFacts(store, report.asOf), year, report.asOf, report.generatedAt));
    } finally {
      await store.close();
    }
    expect(Date.parse(report.asOf)).toBeLessThan(Date.now());
    expect(progress.at(-1)?.[0]).toBeGreaterThan(0);
    expect(stopped).toBe(true);
  });

  it('report --format csv and html; export json and csv', async () => {
    const csv = (await run('report', '--year', String(year), '--format', 'csv', '--separator', 'semicolon')).stdout;
    expect(csv.startsWith('\uFEFFblock;metric;')).toBe(true);
    const html = (await run('report', '--year', String(year), '--format', 'html')).stdout;
    expect(html).toMatch(/<html/i);
    expect(html).not.toMatch(/<script/i);

    const from = daysAgo(100);
    const to = today();
    const exported = JSON.parse((await run('export', '--from', from, '--to', to)).stdout);
    expect(exported.rows).toHaveLength(6);
    const store = openSqliteEventStore(dir, { durability: 'normal' });
    try {
      const facts = await replayFacts(store, exported.asOf);
      expect(exported.rows.map(({ pseudonym: _p, ...row }: { pseudonym: string }) => JSON.stringify(row)).sort()).toEqual(
        caseExportRows(facts, { from, to, asOf: exported.asOf }, (id) => id)
          .map(({ pseudonym: _p, ...row }) => JSON.stringify(row))
          .sort(),
      );
      // the same figures as the API's statistics would be built from
      expect(anonymise(computeStatistics(facts, { from, to, asOf: exported.asOf })).referrals.total).toBe(6);
    } finally {
      await store.close();
    }
    const exportedCsv = (await run('export', '--from', from, '--to', to, '--format', 'csv')).stdout;
    expect(exportedCsv.split('\r\n').filter(Boolean)).toHaveLength(7);
  });

  it('no output contains the planted personal data or a case or household id', async () => {
    const outputs = [
      (await run('report', '--year', String(year), '--format', 'json')).stdout,
      (await run('report', '--year', String(year), '--format', 'csv')).stdout,
      (await run('report', '--year', String(year), '--format', 'html')).stdout,
      (await run('report', '--year', String(year - 1), '--format', 'html')).stdout,
      (await run('export', '--from', daysAgo(100), '--to', today(), '--format', 'json')).stdout,
      (await run('export', '--from', daysAgo(100), '--to', today(), '--format', 'csv', '--separator', 'semicolon')).stdout,
    ].map((text) => text.toLowerCase());
    expect(ids).toHaveLength(12);
    for (const needle of [...PLANTED, ...ids, ...ids.map((id) => id.slice(0, 8))]) {
      expect({ needle, found: outputs.some((text) => text.includes(needle.toLowerCase())) }).toEqual({ needle, found: false });
    }
  });

  it('warns on stderr, not in the output, when the store holds no case', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wih-cli-empty-'));
    try {
      const err: string[] = [];
      const out: string[] = [];
      const program = new Command('wih').exitOverride();
      evaluationCommands(program, { openStore: () => openSqliteEventStore(empty), write: (t) => out.push(t), warn: (t) => err.push(t) });
      await program.parseAsync(['export', '--from', daysAgo(10), '--to', today()], { from: 'user' });
      expect(err.join('')).toMatch(/no case was recorded/);
      expect(JSON.parse(out.join('')).rows).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it.each([
    [['report', '--year', '25'], /--year must be a year/],
    [['report', '--year', String(year + 1)], /--year must not be after the year of --as-of/],
    [['report', '--year', String(year), '--as-of', '2999-01-01'], /--as-of: asOf must not be in the future/],
    [['report', '--year', String(year), '--as-of', '2025-01-01T10:00'], /--as-of: asOf must be an ISO 8601 instant/],
    [['export', '--from', '2025-02-30', '--to', '2025-03-01'], /--from must be a calendar date/],
    [['export', '--from', '2025-03-02', '--to', '2025-03-01'], /--to must not be before --from/],
  ])('refuses %j', async (args, message) => {
    await expect(run(...args)).rejects.toThrow(message);
    await expect(run(...args)).rejects.toBeInstanceOf(UsageError);
  });

  it.each([
    [['report', '--year', String(year), '--format', 'pdf']],
    [['export', '--from', daysAgo(10), '--to', today(), '--format', 'html']],
    [['export', '--to', today()]],
  ])('commander refuses %j', async (args) => {
    await expect(run(...args)).rejects.toMatchObject({ code: expect.stringMatching(/^commander\./) });
  });
});
