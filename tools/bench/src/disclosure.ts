import { UPCASTERS, replayFacts, withUpcasting } from '@wih/application';
import { businessDateOf } from '@wih/domain';
import { annualReport, computeStatistics, protectAnswers, type Facts } from '@wih/evaluation';
import { SqliteEventStore } from '@wih/event-store';
import { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTempDir } from './cleanup';
import { generateHistory } from './history';
import { describeMachine, machineLine } from './machine';

interface DisclosureOptions {
  cases: number;
  seed: number;
  file?: string;
  keep: boolean;
  out: string;
}

interface AnswerRow {
  readonly answer: string;
  readonly asOf: string;
  /** Count cells of the answer (both scopes). */
  readonly cells: number;
  readonly primary: number;
  /** Figures hidden beyond the primaries: counts "suppressed", shares withheld. */
  readonly secondary: number;
  /** The same as a share of the cells that are neither 0 nor small. */
  readonly secondaryShare: number;
  /** Protection and audit of the raw figures (not the replay). */
  readonly seconds: number;
}

const quarters = (year: number) =>
  [
    ['01-01', '03-31'],
    ['04-01', '06-30'],
    ['07-01', '09-30'],
    ['10-01', '12-31'],
  ].map(([from, to], i) => ({ name: `Q${i + 1} ${year}`, from: `${year}-${from}`, to: `${year}-${to}` }));

/**
 * `npm run bench -- disclosure`: information loss and cost of the disclosure control on the
 * generated history, for each of the last two years and their quarters (periods the programme
 * asks for), each answered for now and for an earlier asOf (the end of the period plus a month),
 * and for the annual report (both years, protected together). The baseline is the statistics
 * computed without protection.
 */
async function run(options: DisclosureOptions): Promise<void> {
  const machine = describeMachine();
  const temp = makeTempDir('wih-bench-disclosure-');
  const file = options.file ?? join(temp.path, 'events.sqlite');
  if (!options.file || !existsSync(file)) {
    console.error(`[bench disclosure] generating ${options.cases} cases (seed ${options.seed})`);
    await generateHistory({ cases: options.cases, seed: options.seed, file });
  }
  const store = withUpcasting(new SqliteEventStore(file), UPCASTERS);
  try {
    const now = new Date().toISOString();
    const facts: Facts = await replayFacts(store, now);
    const thisYear = Number(businessDateOf(new Date()).slice(0, 4));
    const rows: AnswerRow[] = [];
    let rawSeconds = 0;
    for (const year of [thisYear - 2, thisYear - 1]) {
      for (const period of [{ name: `year ${year}`, from: `${year}-01-01`, to: `${year}-12-31` }, ...quarters(year)]) {
        const earlier = new Date(Date.parse(`${period.to}T12:00:00Z`) + 31 * 86_400_000).toISOString();
        for (const asOf of [now, earlier]) {
          let started = performance.now();
          const raw = computeStatistics(facts, { from: period.from, to: period.to, asOf });
          rawSeconds += (performance.now() - started) / 1000;
          started = performance.now();
          const { published, secondary, primary } = protectAnswers([{ prefix: '', raw }]);
          const seconds = (performance.now() - started) / 1000;
          const counts = [...published.values()].filter((f) => typeof f === 'number' || f === '<5' || f === 'suppressed');
          const open = counts.filter((f) => f !== 0 && f !== '<5').length;
          rows.push({
            answer: period.name,
            asOf: asOf === now ? 'now' : asOf.slice(0, 10),
            cells: counts.length,
            primary,
            secondary: secondary.length,
            secondaryShare: open === 0 ? 0 : secondary.length / open,
            seconds,
          });
        }
      }
    }
    const started = performance.now();
    annualReport(facts, thisYear - 1, now, now);
    const reportSeconds = (performance.now() - started) / 1000;
    console.log(`\nDisclosure control — ${machineLine(machine)}; ${facts.cases.length} cases\n`);
    console.log(
      `${'answer'.padEnd(12)} ${'asOf'.padEnd(10)} ${'cells'.padStart(5)} ${'<5'.padStart(4)} ${'hidden+'.padStart(7)} ${'share'.padStart(6)} ${'ms'.padStart(7)}`,
    );
    for (const r of rows) {
      console.log(
        `${r.answer.padEnd(12)} ${r.asOf.padEnd(10)} ${String(r.cells).padStart(5)} ${String(r.primary).padStart(4)} ${String(r.secondary).padStart(7)} ${`${(100 * r.secondaryShare).toFixed(1)}%`.padStart(6)} ${(1000 * r.seconds).toFixed(1).padStart(7)}`,
      );
    }
    const protectSeconds = rows.reduce((s, r) => s + r.seconds, 0);
    const summary = {
      answers: rows.length,
      primary: rows.reduce((s, r) => s + r.primary, 0),
      secondary: rows.reduce((s, r) => s + r.secondary, 0),
      answersWithSecondary: rows.filter((r) => r.secondary > 0).length,
      protectMsPerAnswer: (1000 * protectSeconds) / rows.length,
      rawMsPerAnswer: (1000 * rawSeconds) / rows.length,
      ratioToRaw: protectSeconds / rawSeconds,
      annualReportSeconds: reportSeconds,
    };
    console.log(
      `\n${summary.answers} answers: ${summary.primary} cells "<5", ${summary.secondary} hidden beyond them (in ${summary.answersWithSecondary} answers)`,
    );
    console.log(
      `protection + audit ${summary.protectMsPerAnswer.toFixed(1)} ms per answer; the raw statistics ${summary.rawMsPerAnswer.toFixed(1)} ms (${summary.ratioToRaw.toFixed(2)}×)`,
    );
    console.log(`annual report ${thisYear - 1} (both years, statistics and protection, no replay): ${reportSeconds.toFixed(2)} s`);
    mkdirSync(join(options.out, '..'), { recursive: true });
    writeFileSync(
      options.out,
      `${JSON.stringify({ benchmark: 'disclosure', machine, options, cases: facts.cases.length, rows, summary }, null, 2)}\n`,
    );
    console.log(`results written to ${options.out}`);
  } finally {
    await store.close();
    if (!options.keep) temp.remove();
  }
}

export const disclosureCommand = (): Command =>
  new Command('disclosure')
    .description('information loss and cost of the disclosure control (suppression and audit) on a generated history')
    .option('--cases <n>', 'cases to generate', (v) => Number(v), 100_000)
    .option('--seed <n>', 'seed of the generator', (v) => Number(v), 1)
    .option('--file <path>', 'reuse a generated event log (generated there when missing)')
    .option('--keep', 'keep the generated log', false)
    .option('--out <file>', 'results as JSON', 'tmp/bench-disclosure.json')
    .action((options: DisclosureOptions) => run(options));
