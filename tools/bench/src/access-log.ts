import { openSqliteAccessLog, type AccessEntry } from '@wih/access-log';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTempDir } from './cleanup';
import { Latencies, type LatencySummary } from './latency';
import { describeMachine, loadAverage, machineLine } from './machine';

interface AccessLogOptions {
  entries: number;
  page: number;
  exportSize: number;
  out: string;
}
/** `ratio`: time per call (per entry for the export) ÷ the baseline's: below 1 is faster than raw SQLite. */
interface Row {
  readonly name: string;
  readonly kind: 'baseline' | 'measured';
  readonly perSecond: number;
  readonly latency?: LatencySummary;
  readonly ratio?: number;
}

// The adapter's table and indexes without its triggers: the baseline pays for the same B-trees per row.
const RAW_SCHEMA = `
  CREATE TABLE access_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, user_id TEXT NOT NULL,
    role TEXT NOT NULL, case_id TEXT NOT NULL, action TEXT NOT NULL);
  CREATE INDEX access_log_at ON access_log (at, id);
  CREATE INDEX access_log_case ON access_log (case_id, at, id);
  CREATE INDEX access_log_user ON access_log (user_id, at, id);
`;

const entry = (i: number): AccessEntry => ({
  id: randomUUID(),
  at: new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString(),
  userId: `user-${i % 40}`,
  role: 'caseworker',
  caseId: randomUUID(),
  action: 'detail',
});

/** Times `count` calls of `call`, one at a time: latency per call and calls per second. */
async function timed(count: number, call: (i: number) => unknown): Promise<{ perSecond: number; latency: LatencySummary }> {
  const latencies = new Latencies();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await call(i);
    latencies.add(performance.now() - t);
  }
  return { perSecond: count / ((performance.now() - started) / 1000), latency: latencies.summary() };
}

/** One INSERT per transaction with synchronous=FULL: what one audited read costs at the least. */
async function rawInserts(dir: string, count: number): Promise<Row> {
  const db = new Database(join(dir, 'raw.sqlite'), { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(RAW_SCHEMA);
  const insert = db.prepare(
    'INSERT INTO access_log (id, at, user_id, role, case_id, action) VALUES (@id, @at, @userId, @role, @caseId, @action)',
  );
  const one = db.transaction((e: AccessEntry) => insert.run(e));
  try {
    return { name: 'raw SQLite insert, 1 row/commit (FULL)', kind: 'baseline', ...(await timed(count, (i) => one(entry(i)))) };
  } finally {
    db.close();
  }
}

async function adapterAppends(dir: string, count: number, page: number): Promise<Row[]> {
  const log = openSqliteAccessLog(join(dir, 'adapter'), { durability: 'full' });
  try {
    const single = await timed(count, (i) => log.append([entry(i)]));
    const pages = await timed(Math.max(1, Math.floor(count / page)), (i) =>
      log.append(Array.from({ length: page }, (_, k) => entry(i * page + k))),
    );
    return [
      { name: 'access log append, 1 entry/call (detail, timeline)', kind: 'measured', ...single },
      { name: `access log append, ${page} entries/call (caseload)`, kind: 'measured', ...pages },
    ];
  } finally {
    await log.close();
  }
}

/** Export: the adapter's keyset pages of 1 000 against one raw ordered scan of the same file. */
async function exportScan(dir: string, size: number): Promise<Row[]> {
  const path = join(dir, 'export');
  const log = openSqliteAccessLog(path, { durability: 'normal' });
  for (let i = 0; i < size; i += 5000) await log.append(Array.from({ length: Math.min(5000, size - i) }, (_, k) => entry(i + k)));
  let started = performance.now();
  let seen = 0;
  for (let page = await log.find({ limit: 1000 }); page.length > 0; page = await log.find({ limit: 1000, after: page[page.length - 1] }))
    seen += page.length;
  const paged = seen / ((performance.now() - started) / 1000);
  await log.close();
  const db = new Database(join(path, 'access-log.sqlite'), { readonly: true });
  started = performance.now();
  const rows = db.prepare('SELECT id, at, user_id, role, case_id, action FROM access_log ORDER BY at, id').all().length;
  const raw = rows / ((performance.now() - started) / 1000);
  db.close();
  return [
    { name: `raw ordered scan of ${size} entries`, kind: 'baseline', perSecond: raw },
    { name: 'export pages (find, 1 000 per page)', kind: 'measured', perSecond: paged, ratio: raw / paged },
  ];
}

async function run(options: AccessLogOptions): Promise<void> {
  const machine = describeMachine();
  const temp = makeTempDir('wih-bench-access-log-');
  const loadBefore = loadAverage();
  try {
    const baseline = await rawInserts(temp.path, options.entries);
    const appends = (await adapterAppends(temp.path, options.entries, options.page)).map((row) => ({
      ...row,
      ratio: baseline.perSecond / row.perSecond,
    }));
    const rows = [baseline, ...appends, ...(await exportScan(temp.path, options.exportSize))];
    console.log(`\nAccess log — ${machineLine(machine)}; load ${loadBefore} → ${loadAverage()}\n`);
    console.log(`${'run'.padEnd(50)}  ${'per s'.padStart(9)}  ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'ratio'.padStart(6)}`);
    for (const r of rows) {
      const ms = (v: number | undefined) => (v === undefined ? '' : v.toFixed(2)).padStart(7);
      console.log(
        `${r.name.padEnd(50)}  ${r.perSecond.toFixed(0).padStart(9)}  ${ms(r.latency?.p50)}  ${ms(r.latency?.p99)}  ${(r.ratio?.toFixed(2) ?? '').padStart(6)}`,
      );
    }
    mkdirSync(join(options.out, '..'), { recursive: true });
    writeFileSync(
      options.out,
      `${JSON.stringify({ benchmark: 'access-log', machine, load: { before: loadBefore, after: loadAverage() }, options, rows }, null, 2)}\n`,
    );
    console.log(`results written to ${options.out}`);
  } finally {
    temp.remove();
  }
}

/** `npm run bench -- access-log`: what writing the audit entry adds to a read, and how fast the export streams. */
export const accessLogCommand = (): Command =>
  new Command('access-log')
    .description('access log: append latency against raw SQLite inserts, export paging against a raw scan')
    .option('--entries <n>', 'single appends to time', (v) => Number(v), 2000)
    .option('--page <n>', 'entries per caseload-page append', (v) => Number(v), 50)
    .option('--export-size <n>', 'entries in the export run', (v) => Number(v), 100_000)
    .option('--out <file>', 'results as JSON', 'tmp/bench-access-log.json')
    .action((options: AccessLogOptions) => run(options));
