import { pseudonymiser, replayFacts, REPLAY_BATCH_SIZE, UPCASTERS, withUpcasting } from '@wih/application';
import { businessDateOf } from '@wih/domain';
import { annualReport, caseExportRows, renderAnnualReportCsv, renderAnnualReportHtml, renderCaseExportCsv } from '@wih/evaluation';
import { SqliteEventStore } from '@wih/event-store';
import { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTempDir } from './cleanup';
import { generateHistory } from './history';
import { describeMachine, loadAverage, machineLine } from './machine';
import { bareScan, storeScan, type Throughput } from './rebuild-scan';

interface ReportOptions {
  cases: number;
  seed: number;
  file?: string;
  keep: boolean;
  out: string;
}

const seconds = (started: number) => (performance.now() - started) / 1000;

/**
 * `npm run bench -- report`: the annual report over the generated history (about 1M events),
 * beside a raw scan of the log in the same run. The report replays the whole log read-only
 * (never the read models), so its floor is the store's own scan.
 */
async function run(options: ReportOptions): Promise<void> {
  const machine = describeMachine();
  const temp = makeTempDir('wih-bench-report-');
  const file = options.file ?? join(temp.path, 'events.sqlite');
  if (!options.file || !existsSync(file)) {
    console.error(`[bench report] generating ${options.cases} cases (seed ${options.seed})`);
    const counts = await generateHistory({ cases: options.cases, seed: options.seed, file });
    console.error(`[bench report] ${counts.caseEvents} case events in ${counts.seconds.toFixed(1)} s`);
  }
  const loadBefore = loadAverage();
  const bare = bareScan(file);
  const scan = await storeScan(file, REPLAY_BATCH_SIZE);
  const chained = await storeScan(file, REPLAY_BATCH_SIZE, {
    name: 'store scan through the upcaster chain (info)',
    store: (raw) => withUpcasting(raw, UPCASTERS),
  });
  const store = withUpcasting(new SqliteEventStore(file), UPCASTERS);
  const asOf = new Date().toISOString();
  const year = Number(businessDateOf(new Date()).slice(0, 4)) - 1;
  try {
    let started = performance.now();
    const facts = await replayFacts(store, asOf);
    const replay: Throughput = {
      name: 'replay the log into facts',
      events: scan.events,
      seconds: seconds(started),
      eventsPerSecond: scan.events / seconds(started),
    };
    started = performance.now();
    const report = annualReport(facts, year, asOf, new Date().toISOString());
    const html = renderAnnualReportHtml(report);
    const csv = renderAnnualReportCsv(report, { separator: ';' });
    const computeSeconds = seconds(started);
    started = performance.now();
    const exportCsv = renderCaseExportCsv(caseExportRows(facts, { from: `${year}-01-01`, to: `${year}-12-31`, asOf }, pseudonymiser()));
    const exportSeconds = seconds(started);
    const total = replay.seconds + computeSeconds;
    const result = {
      benchmark: 'report',
      machine,
      load: { before: loadBefore, after: loadAverage() },
      options,
      year,
      cases: facts.cases.length,
      baseline: scan.name,
      rows: [
        { name: bare.name, seconds: bare.seconds, eventsPerSecond: bare.eventsPerSecond, ratio: bare.seconds / scan.seconds },
        { name: scan.name, seconds: scan.seconds, eventsPerSecond: scan.eventsPerSecond, ratio: 1 },
        { name: chained.name, seconds: chained.seconds, eventsPerSecond: chained.eventsPerSecond, ratio: chained.seconds / scan.seconds },
        { name: replay.name, seconds: replay.seconds, eventsPerSecond: replay.eventsPerSecond, ratio: replay.seconds / scan.seconds },
        {
          name: `annual report ${year} + ${year - 1} (statistics, HTML, CSV)`,
          seconds: computeSeconds,
          ratio: computeSeconds / scan.seconds,
        },
        {
          name: 'annual report end to end (replay + report)',
          seconds: total,
          eventsPerSecond: scan.events / total,
          ratio: total / scan.seconds,
        },
        { name: `case export ${year} (rows + CSV, info)`, seconds: exportSeconds, ratio: exportSeconds / scan.seconds },
      ],
      sizes: { htmlBytes: html.length, csvBytes: csv.length, exportBytes: exportCsv.length },
    };
    print(result.rows, machineLine(machine), scan.events);
    const met = total <= 2 * scan.seconds;
    console.log(`${met ? 'MET    ' : 'NOT MET'}  annual report ≤ 2× the raw scan: ${(total / scan.seconds).toFixed(2)}×`);
    mkdirSync(join(options.out, '..'), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify({ ...result, targetMet: met }, null, 2)}\n`);
    console.log(`results written to ${options.out}`);
  } finally {
    await store.close();
    if (!options.keep) temp.remove();
    else console.error(`[bench report] kept ${file}`);
  }
}

function print(rows: { name: string; seconds: number; eventsPerSecond?: number; ratio: number }[], machine: string, events: number): void {
  console.log(`\nReport (evaluation) — ${machine}; ${events} case events\n`);
  console.log(`${'step'.padEnd(52)}  ${'seconds'.padStart(8)}  ${'events/s'.padStart(10)}  ${'÷ scan'.padStart(7)}`);
  for (const row of rows) {
    const rate = row.eventsPerSecond === undefined ? '–' : Math.round(row.eventsPerSecond).toString();
    console.log(
      `${row.name.padEnd(52)}  ${row.seconds.toFixed(2).padStart(8)}  ${rate.padStart(10)}  ${`${row.ratio.toFixed(2)}×`.padStart(7)}`,
    );
  }
}

export const reportCommand = (): Command =>
  new Command('report')
    .description('the annual report over a generated history (~1M events) beside a raw scan of the log')
    .option('--cases <n>', 'cases to generate', (v) => Number(v), 100_000)
    .option('--seed <n>', 'seed of the generator', (v) => Number(v), 1)
    .option('--file <path>', 'reuse a generated event log (generated there when missing)')
    .option('--keep', 'keep the generated log', false)
    .option('--out <file>', 'results as JSON', 'tmp/bench-report.json')
    .action((options: ReportOptions) => run(options));
