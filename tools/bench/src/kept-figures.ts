import { caseStream, LiveFacts, UPCASTERS, withUpcasting } from '@wih/application';
import { annualReport, anonymise, computeStatistics, renderAnnualReportCsv, renderAnnualReportHtml, type Facts } from '@wih/evaluation';
import { SqliteEventStore, type EventStore, type NewEvent } from '@wih/event-store';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Prng } from './history/prng';

export interface KeptFiguresRow {
  readonly name: string;
  readonly seconds: number;
}

/** Writes between two answers: a few, a busy minute, a busy quarter of an hour (200 commands/s would be 12,000 a minute). */
const WRITES = [10, 100, 1_000] as const;

const seconds = (started: number) => (performance.now() - started) / 1000;

/** Memory in use after a full collection (MiB): the heap and the typed arrays' buffers beside it (the kept figures are both). */
const heapMiB = (): number => {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 2 ** 20;
};

/** The facts without their segments: the statistics in one pass over every case, as before decision 0047. */
const onePass = ({ segments: _segments, ...facts }: Facts): Facts => facts;

/**
 * The live facts' answers as of now with each segment's figures kept until it changes (decision
 * 0047): the first answer for a period, the same again with nothing written, and again after
 * visits recorded on that many cases: right after them, and after the refresh the evaluation
 * thread runs between answers. Writes go to a copy of the log (the generated one stays as
 * the generator made it); each is a copy of a case's last visit, appended to its stream as a
 * caseworker's command would, and folded in by the answer's catch-up.
 */
export async function measureKeptFigures(
  file: string,
  copy: string,
  year: number,
  rounds: number,
  seed: number,
): Promise<KeptFiguresRow[]> {
  const source = new Database(file, { readonly: true });
  try {
    await source.backup(copy);
  } finally {
    source.close();
  }
  const store = withUpcasting(new SqliteEventStore(copy), UPCASTERS);
  try {
    const live = new LiveFacts(store);
    await live.catchUp();
    const period = { from: `${year}-01-01`, to: `${year}-12-31` };
    const statistics = (plain = false) =>
      live.withFacts(new Date().toISOString(), true, (facts, at) =>
        anonymise(computeStatistics(plain ? onePass(facts) : facts, { ...period, asOf: at })),
      );
    const report = (plain = false) =>
      live.withFacts(new Date().toISOString(), true, (facts, at) => {
        const answer = annualReport(plain ? onePass(facts) : facts, year, at, at);
        return renderAnnualReportHtml(answer).length + renderAnnualReportCsv(answer, { separator: ';' }).length;
      });
    const timed = async (answer: () => Promise<unknown>): Promise<number> => {
      const started = performance.now();
      await answer();
      return seconds(started);
    };
    const best = async (answer: () => Promise<unknown>, before?: () => Promise<void>): Promise<number> => {
      let fastest = Number.POSITIVE_INFINITY;
      for (let round = 1; round <= rounds; round++) {
        await before?.();
        fastest = Math.min(fastest, await timed(answer));
      }
      return fastest;
    };

    const heapBefore = heapMiB();
    const firstReport = await timed(() => report());
    const keptMiB = heapMiB() - heapBefore;
    const rows: KeptFiguresRow[] = [
      { name: `kept figures: annual report ${year} as of now, first answer (every segment computed)`, seconds: firstReport },
      { name: `kept figures: statistics ${year} in one pass (no segments; the baseline)`, seconds: await best(() => statistics(true)) },
      { name: `kept figures: annual report in one pass (no segments; the baseline)`, seconds: await best(() => report(true)) },
      { name: `kept figures: statistics ${year}, nothing written since`, seconds: await best(() => statistics()) },
      { name: `kept figures: annual report, nothing written since`, seconds: await best(() => report()) },
    ];
    const visited = await live.withFacts(new Date().toISOString(), true, (facts) =>
      facts.cases.filter((c) => c.approvedOn !== null && c.closure === null && c.visits.length > 0).map((c) => c.caseId),
    );
    const rng = new Prng(seed);
    // What the evaluation thread does between answers: the report's periods kept current.
    live.keepCurrent(period);
    live.keepCurrent({ from: `${year - 1}-01-01`, to: `${year - 1}-12-31` });
    for (const writes of WRITES) {
      const write = () => recordVisits(store, visited, writes, rng);
      const writeAndRefresh = async () => {
        await write();
        await live.refresh();
      };
      rows.push(
        { name: `kept figures: statistics ${year} after ${writes} visits recorded`, seconds: await best(() => statistics(), write) },
        { name: `kept figures: annual report after ${writes} visits recorded`, seconds: await best(() => report(), write) },
        { name: `kept figures: refresh after ${writes} visits (between answers, info)`, seconds: await best(() => live.refresh(), write) },
        {
          name: `kept figures: annual report after ${writes} visits recorded and a refresh`,
          seconds: await best(() => report(), writeAndRefresh),
        },
      );
    }
    rows.push({ name: `kept figures: memory they hold after the first report (MiB, info)`, seconds: keptMiB });
    return rows;
  } finally {
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  }
}

/** A copy of the last visit of `count` cases drawn from `caseIds`, each appended to its case's stream now. */
async function recordVisits(store: EventStore, caseIds: readonly string[], count: number, rng: Prng): Promise<void> {
  for (let written = 0; written < count;) {
    const stream = caseStream(caseIds[Math.floor(rng.next() * caseIds.length)]);
    const visit = (await store.readStream(stream)).filter((event) => event.type === 'HomeVisitRecorded').pop();
    if (visit === undefined) continue;
    const event: NewEvent = {
      id: randomUUID(),
      type: visit.type,
      data: visit.data,
      metadata: { ...visit.metadata, commandId: randomUUID(), recordedAt: new Date().toISOString() },
    };
    await store.append(stream, [event], 'any');
    written++;
  }
}
