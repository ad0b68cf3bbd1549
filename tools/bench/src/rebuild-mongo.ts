import { collectionOf } from '@wih/application';
import { PROJECTIONS } from '@wih/projections';
import { MongoReadStore } from '@wih/read-store';
import { Command, InvalidArgumentError } from 'commander';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { makeTempDir } from './cleanup';
import { generateHistory } from './history';
import { describeMachine, loadAverage, machineLine } from './machine';
import { writeJson } from './report';
import { rebuildInProcess, type ProjectionRebuild } from './rebuild-projections';
import { storeScan, throughput, type Throughput } from './rebuild-scan';

/**
 * `npm run bench -- rebuild-mongo --mongo <url>`: each projection rebuilt from the whole log into
 * MongoDB (a database of its own, dropped afterwards) and, in the same run, into the embedded
 * store, both against the store scan of the same log. The process's peak memory shows that the
 * MongoDB commit's batches stay bounded.
 */
interface Options {
  readonly mongo: string;
  readonly cases: number;
  readonly seed: number;
  readonly file?: string;
  readonly threads: number;
  readonly out: string;
}

interface Row extends Throughput {
  readonly ratio: number;
  readonly peakRssMb: number;
  readonly documents?: number;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const progress = (message: string) => console.error(`[bench rebuild-mongo] ${message}`);

/** Samples the resident set while `work` runs: the peak, in MB. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  try {
    const result = await work();
    return { result, peakRssMb: Math.round(Math.max(peak, process.memoryUsage.rss()) / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

async function serverOf(url: string): Promise<string> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return info['ferretdbVersion']
      ? `FerretDB ${String(info['ferretdbVersion'])} (MongoDB ${String(info['version'])})`
      : `MongoDB ${String(info['version'])}`;
  } finally {
    await client.close();
  }
}

async function dropDatabase(url: string, db: string): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db(db).dropDatabase();
  } finally {
    await client.close();
  }
}

async function run(o: Options): Promise<void> {
  const work = makeTempDir('wih-bench-rebuild-mongo-');
  try {
    // A given log is reused, or generated there and kept (for the next run); else a temporary one.
    const file = o.file ? resolve(o.file) : join(work.path, 'events.sqlite');
    if (existsSync(file) && statSync(file).size > 0) {
      progress(`reusing the log ${o.file}`);
    } else {
      progress(`generating ${o.cases} cases (seed ${o.seed})`);
      mkdirSync(dirname(file), { recursive: true });
      await generateHistory({ cases: o.cases, seed: o.seed, file, onProgress: (n) => progress(`  ${n} cases`) });
    }
    const server = await serverOf(o.mongo);
    const machine = describeMachine();
    const load = loadAverage();
    progress(`server: ${server}; store scan`);
    const scan = await storeScan(file, 1000);
    const rows: Row[] = [];
    const add = (name: string, r: ProjectionRebuild, peakRssMb: number, documents?: number) =>
      rows.push({
        ...throughput(name, r.events, r.seconds),
        ratio: r.seconds / scan.seconds,
        peakRssMb,
        ...(documents === undefined ? {} : { documents }),
      });
    for (const { name } of PROJECTIONS) {
      const readsFile = join(work.path, `reads-${name}.sqlite`);
      progress(`rebuilding ${name} into the embedded store (${o.threads} threads)`);
      const embedded = await withPeakRss(() => rebuildInProcess({ eventsFile: file, readsFile, projections: [name], threads: o.threads }));
      add(`rebuild ${name}: embedded SQLite`, embedded.result[0], embedded.peakRssMb);
      rmSync(readsFile, { force: true });
      const db = `bench_rebuild_${randomUUID().slice(0, 8)}`;
      progress(`rebuilding ${name} into ${server}, database ${db}`);
      try {
        const mongo = await withPeakRss(() =>
          rebuildInProcess({ eventsFile: file, readsFile, projections: [name], threads: o.threads, mongo: { url: o.mongo, db } }),
        );
        const reads = new MongoReadStore(o.mongo, db);
        const documents = await reads.count(collectionOf(name, 1)).finally(() => reads.close());
        add(`rebuild ${name}: MongoDB read store on ${server}`, mongo.result[0], mongo.peakRssMb, documents);
      } finally {
        await dropDatabase(o.mongo, db);
      }
    }
    const table = [
      `| run | events | s | events/s | ÷ store scan | peak RSS (MB) | documents |`,
      `|---|---|---|---|---|---|---|`,
      `| ${scan.name} (baseline) | ${scan.events} | ${scan.seconds.toFixed(2)} | ${Math.round(scan.eventsPerSecond)} | 1.00× | – | – |`,
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.events} | ${r.seconds.toFixed(2)} | ${Math.round(r.eventsPerSecond)} | ${r.ratio.toFixed(2)}× | ${r.peakRssMb} | ${r.documents ?? '–'} |`,
      ),
    ].join('\n');
    console.log(`${machineLine(machine)}; load ${load}; server ${server}\n\n${table}`);
    writeJson(o.out, {
      benchmark: 'rebuild-mongo',
      startedAt: new Date().toISOString(),
      machine,
      load,
      server,
      options: { ...o, mongo: '<url>' },
      scan,
      rows,
    });
  } finally {
    work.remove();
  }
}

export const rebuildMongoCommand = (): Command =>
  new Command('rebuild-mongo')
    .description('rebuild each projection into MongoDB and into the embedded store, against the store scan of the same log')
    .requiredOption('--mongo <url>', 'the MongoDB to rebuild into (a database of its own, dropped afterwards)')
    .option('--cases <n>', 'cases in the generated history', positiveInt, 100_000)
    .option('--seed <n>', 'seed of the generated history', positiveInt, 1)
    .option('--file <path>', "an event log to reuse (a data directory's events.sqlite, e.g. kept by `rebuild --keep`)")
    .option('--threads <n>', 'threads a rebuild folds on', positiveInt, availableParallelism())
    .option('--out <file>', 'where the JSON results go', 'tmp/bench-rebuild-mongo.json')
    .action((options: Options) => run(options));
