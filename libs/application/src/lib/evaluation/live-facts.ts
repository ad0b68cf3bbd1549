import { ACTIVITY_CATEGORY, CASE_CATEGORY } from '@wih/domain';
import { collectFacts, computeStatistics, type EvaluationEvent, type FactCollector, type Facts, type Period } from '@wih/evaluation';
import type { EventStore, LogPosition } from '@wih/event-store';
import { performance } from 'node:perf_hooks';
import { isCaseEvent } from '../case-commands';
import { caseStream } from '../streams';
import { REPLAY_BATCH_SIZE, toActivityEvaluationEvent, toEvaluationEvent } from './replay';

/** The live collector skips nothing: what an answer may see is decided per request (`withFacts`). */
const NO_LIMIT = '9999-12-31T23:59:59.999Z';

interface State {
  readonly collector: FactCollector;
  /** The last position folded in, per category; undefined: nothing yet. */
  cases?: LogPosition;
  activities?: LogPosition;
  /** The latest recordedAt folded in (ms): an answer as of an earlier instant cannot use these facts. */
  latest: number;
}

const fresh = (): State => ({ collector: collectFacts(NO_LIMIT), latest: Number.NEGATIVE_INFINITY });

/**
 * How one answer was got: from the live facts as they stand, or as of an earlier instant (the live
 * facts without what was recorded after it, the cases written to since read again from their streams).
 */
export type FactsSource = 'live' | 'earlier';

/** Case streams read at once for an earlier asOf: a remote store answers each read in a round trip. */
const STREAM_READS_IN_FLIGHT = 16;

/** Periods whose figures are kept current between answers: a report's two, and a few more looked at lately. */
const PERIODS_KEPT_CURRENT = 4;

/**
 * The pause after a refresh is at least this many times as long as the refresh took (decision
 * 0051), so refreshing takes at most about 1/(1 + REFRESH_PACE) of a core, whatever the write load.
 */
export const REFRESH_PACE = 20;

/**
 * When the next refresh is due after one that took `tookMs`: the interval, or longer when the
 * last refresh was expensive. Under a heavy write load each refresh finds more segments changed,
 * so pacing it by its cost lets one refresh cover the writes of several intervals instead of
 * taking a steady share of the cores the API's commands run on; at the programme's own pace a
 * refresh takes milliseconds and the interval stands.
 */
export const nextRefreshInMs = (intervalMs: number, tookMs: number): number => Math.max(intervalMs, REFRESH_PACE * tookMs);

/**
 * The evaluation facts as a live projection of the log, kept by one evaluation thread (decision
 * 0044): the first use folds the whole log, every later one only what was appended since, so an
 * answer as of now costs the statistics, not a replay. Per request the facts are caught up to the
 * log's end, so every write answered before it counts, as with a replay.
 *
 * The facts are the replay's facts exactly when nothing folded in was recorded after `asOf`
 * (collectFacts skips such events one by one). For an earlier instant, the cases with events on
 * both sides of it are folded again from their own streams under that limit, the others are read
 * off the live facts (decision 0046): equal to a replay, at the cost of the cases written to since.
 * An answer asked "as of now" is given as of the instant its facts were caught up, so a write
 * recorded meanwhile does not make it an earlier instant.
 *
 * In memory only, never written anywhere: it holds no personal data (replay's `toEvaluationEvent`
 * drops it on read), and a restarted thread folds the log again.
 */
export class LiveFacts {
  private state = fresh();
  /** One catch-up and one computation at a time: folding while an answer reads the facts would mix two states. */
  private turn: Promise<unknown> = Promise.resolve();
  /** The periods answered lately, by `from to`, the latest last (decision 0047). */
  private readonly current = new Map<string, Period>();

  constructor(
    private readonly events: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Folds what the log gained since the last call (the whole log at first). */
  async catchUp(): Promise<void> {
    await this.inTurn(() => this.fold());
  }

  /**
   * Runs `use` on the facts as of `asOf` (or, when `now`, as of a later instant up to the
   * thread's clock: `use` is given the instant it answers for, and how many case streams were
   * read again for it). Nothing else folds meanwhile.
   */
  withFacts<T>(asOf: string, now: boolean, use: (facts: Facts, asOf: string, source: FactsSource, reread: number) => T): Promise<T> {
    return this.inTurn(async () => {
      await this.fold();
      const at = Date.parse(asOf);
      if (this.state.latest <= at) return use(this.state.collector.facts(), asOf, 'live', 0);
      const caughtUp = this.clock();
      // A writer's clock ahead of this thread's would make "now" a future instant: answer as asked instead.
      if (now && this.state.latest <= caughtUp.getTime()) {
        const instant = caughtUp.toISOString();
        return use(this.state.collector.facts(), instant, 'live', 0);
      }
      const { facts, reread } = await this.factsAsOf(asOf);
      return use(facts, asOf, 'earlier', reread);
    });
  }

  /**
   * Keeps the figures of `period` current between answers (decision 0047): each `refresh` computes
   * them again for what was folded in since, so the next answer as of now finds its segments up to
   * date. The latest few periods asked for are kept so.
   */
  keepCurrent(period: Period): void {
    const key = `${period.from} ${period.to}`;
    this.current.delete(key);
    this.current.set(key, { from: period.from, to: period.to });
    if (this.current.size > PERIODS_KEPT_CURRENT) this.current.delete(this.current.keys().next().value as string);
  }

  /**
   * Folds what the log gained since and, when something was, computes the figures of the periods
   * kept current as of now (the raw figures only: they are what is kept per segment). In turn with
   * the answers: one asked meanwhile waits for it, and then has only what came after to compute.
   */
  refresh(): Promise<number> {
    return this.inTurn(async () => {
      // Its own work only, not the wait for an answer in turn before it.
      const started = performance.now();
      await this.computeCurrent();
      return performance.now() - started;
    });
  }

  /** `refresh`'s work, in its turn. */
  private async computeCurrent(): Promise<void> {
    if ((await this.fold()) === 0 || this.current.size === 0) return;
    const now = this.clock();
    // As in withFacts: with a writer's clock ahead, "now" would be earlier than what the facts hold.
    if (this.state.latest > now.getTime()) return;
    const facts = this.state.collector.facts();
    for (const period of this.current.values()) computeStatistics(facts, { ...period, asOf: now.toISOString() });
  }

  /**
   * Refreshes every `intervalMs`, the next one an interval after the last ended, or later when
   * the last one was expensive (`nextRefreshInMs`): a steady write load costs one refresh per
   * interval rather than one per write, a heavy one a bounded share of a core, and an idle log
   * one read that finds nothing (not the store's commit signal: listening to it keeps SQLite's
   * cross-process check running every 2 ms for good). A failed refresh is left to the next
   * answer, which folds again and reports it. Returns the function that stops it.
   */
  refreshEvery(intervalMs: number): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const schedule = (pauseMs: number): void => {
      timer = setTimeout(() => {
        this.refresh()
          .catch(() => 0)
          .then((tookMs) => {
            if (!stopped) schedule(nextRefreshInMs(intervalMs, tookMs));
          });
      }, pauseMs);
      timer.unref?.();
    };
    schedule(intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** The facts as of an instant before something folded in: only the straddling cases are read again. */
  private async factsAsOf(asOf: string): Promise<{ facts: Facts; reread: number }> {
    const { collector, cases: folded = 0n } = this.state;
    const ids = collector.straddling(asOf);
    const refold = new Map<string, EvaluationEvent[]>();
    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < ids.length) {
        const caseId = ids[next++];
        const recorded = await this.events.readStream(caseStream(caseId));
        // Up to what the facts hold: a write appended since must not show in one case only.
        refold.set(caseId, recorded.filter((event) => isCaseEvent(event) && event.position <= folded).map(toEvaluationEvent));
      }
    };
    await Promise.all(Array.from({ length: Math.min(STREAM_READS_IN_FLIGHT, ids.length) }, reader));
    return { facts: collector.factsAsOf(asOf, refold), reread: ids.length };
  }

  private inTurn<T>(run: () => Promise<T>): Promise<T> {
    const result = this.turn.then(run);
    this.turn = result.catch(() => undefined);
    return result;
  }

  /** Folds what the log gained since the last fold; how many events that was. */
  private async fold(): Promise<number> {
    const state = this.state;
    let folded = 0;
    try {
      for await (const batch of this.events.readAll({ category: CASE_CATEGORY, after: state.cases, batchSize: REPLAY_BATCH_SIZE })) {
        for (const recorded of batch) {
          if (!isCaseEvent(recorded)) continue;
          const event = toEvaluationEvent(recorded);
          state.collector.add(event);
          state.latest = Math.max(state.latest, Date.parse(event.recordedAt));
        }
        state.cases = batch[batch.length - 1].position;
        folded += batch.length;
      }
      for await (const batch of this.events.readAll({
        category: ACTIVITY_CATEGORY,
        after: state.activities,
        batchSize: REPLAY_BATCH_SIZE,
      })) {
        for (const recorded of batch) {
          const event = toActivityEvaluationEvent(recorded);
          state.collector.addActivity(event);
          state.latest = Math.max(state.latest, Date.parse(event.recordedAt));
        }
        state.activities = batch[batch.length - 1].position;
        folded += batch.length;
      }
      return folded;
    } catch (error) {
      // A batch may be half folded: start from an empty collector next time rather than count twice.
      this.state = fresh();
      throw error;
    }
  }
}
