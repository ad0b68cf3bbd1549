import {
  anonymise,
  annualReport,
  computeStatistics,
  type AnnualReport,
  type Facts,
  type PublishedAnnualReport,
  type RawStatistics,
  type Statistics,
} from '@wih/evaluation';
import {
  ACTIVITY_CATEGORY,
  CASE_CATEGORY,
  HOUSEHOLD_CATEGORY,
  REPORT_CATEGORY,
  type ActivityState,
  type CaseState,
  type HouseholdState,
  type ReportState,
} from '@wih/domain';
import { categoryOf, idOf, type EventMetadata, type EventStore, type RecordedEvent } from '@wih/event-store';
import { PROJECTIONS } from '@wih/projections';
import { foldActivity, foldCase, foldHousehold, foldReport, isCaseEvent } from '../lib/streams';
import { publishedAnnualReport } from '../lib/report/published-annual-report';
import { replayFacts } from '../lib/evaluation/replay';
import type { PersonalDataKeys } from '../lib/personal-data/keys';
import { withPersonalData } from '../lib/personal-data/reading';
import { toProjectedEvent } from '../lib/projections/projected-event';

/**
 * Recorded histories (test/fixtures/history-v<N>.jsonl): stored events exactly as a store holds
 * them, one JSON object a line, in log order. Loading one into an empty store and reading it back
 * through the production read path must give the committed expected outputs (docs/schema-evolution.md).
 */
export interface HistoryLine {
  readonly stream: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export const toHistoryLine = (event: RecordedEvent): HistoryLine => ({
  stream: event.streamName,
  revision: event.revision,
  id: event.id,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

export const formatHistory = (lines: readonly HistoryLine[]): string => lines.map((line) => `${JSON.stringify(line)}\n`).join('');

export const parseHistory = (text: string): HistoryLine[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as HistoryLine);

/**
 * Appends every line as stored (its id, type, data and metadata untouched), in file order, each
 * at its recorded revision: a line out of order or missing fails with the store's ConcurrencyError.
 */
export async function loadHistory(store: EventStore, lines: readonly HistoryLine[]): Promise<void> {
  for (const { stream, revision, id, type, data, metadata } of lines) {
    await store.append(stream, [{ id, type, data, metadata }], revision === 0 ? 'no-stream' : revision - 1);
  }
}

export interface EvaluationRequest {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly year: number;
  readonly generatedAt: string;
}

export interface HistoryOutputs {
  /** What command handling folds from each stream (the write side's reading of the log). */
  readonly writeModels: {
    readonly cases: Readonly<Record<string, CaseState>>;
    readonly households: Readonly<Record<string, HouseholdState>>;
    readonly activities: Readonly<Record<string, ActivityState>>;
    /** By year: the report's text and, once finalised, the frozen model. */
    readonly reports: Readonly<Record<string, ReportState>>;
  };
  /** Every projection's documents by key, folded with its pure evolve. */
  readonly projections: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly evaluation: {
    readonly request: EvaluationRequest;
    readonly rawStatistics: RawStatistics;
    readonly statistics: Statistics;
    readonly annualReport: AnnualReport;
    /**
     * The year's report as published: its text, and for a finalised year the model frozen in the
     * log (whatever the request's asOf and whatever was recorded later), else the figures above.
     */
    readonly publishedAnnualReport: PublishedAnnualReport;
  };
}

/** Folds the case category of the log through every projection, as the runner would. */
export async function projectAll(store: EventStore): Promise<HistoryOutputs['projections']> {
  const docs = new Map(PROJECTIONS.map((projection) => [projection.name, new Map<string, unknown>()]));
  // Each category the projections read (case, activity), as their runners do.
  for (const category of new Set(PROJECTIONS.map((p) => p.category))) {
    const readers = PROJECTIONS.filter((p) => p.category === category);
    for await (const batch of store.readAll({ category })) {
      for (const event of batch.filter(isCaseEvent).map(toProjectedEvent)) {
        for (const projection of readers.filter((p) => p.handles.includes(event.type))) {
          const byKey = docs.get(projection.name) as Map<string, unknown>;
          const key = projection.keyOf(event);
          const next = projection.evolve(byKey.get(key) ?? null, event);
          if (next === null) byKey.delete(key);
          else byKey.set(key, next);
        }
      }
    }
  }
  const sorted = (byKey: Map<string, unknown>) => Object.fromEntries([...byKey].sort(([a], [b]) => a.localeCompare(b)));
  return Object.fromEntries([...docs].map(([name, byKey]) => [name, sorted(byKey)]));
}

/** The evaluation of the log for one period and asOf: raw figures, published figures, the annual report. */
export async function evaluateAll(store: EventStore, request: EvaluationRequest): Promise<HistoryOutputs['evaluation']> {
  const facts: Facts = await replayFacts(store, request.asOf);
  const rawStatistics = computeStatistics(facts, request);
  const report = annualReport(facts, request.year, request.asOf, request.generatedAt);
  return {
    request,
    rawStatistics,
    statistics: anonymise(rawStatistics),
    annualReport: report,
    // What a GET of the year answers, composed as the API composes it.
    publishedAnnualReport: await publishedAnnualReport(store, request.year, () => Promise.resolve(report)),
  };
}

/**
 * Every output of a log, each read the way production reads it: command handling and the
 * evaluation from the store as it is (personal parts never opened), the projections with the
 * personal parts opened under the households' keys (as the runtime wires its projection managers).
 */
export const historyOutputs = async (store: EventStore, request: EvaluationRequest, keys: PersonalDataKeys): Promise<HistoryOutputs> => ({
  writeModels: await foldStreams(store),
  projections: await projectAll(withPersonalData(store, keys)),
  evaluation: await evaluateAll(store, request),
});

/** Every stream read one by one, as command handling reads it, and folded by its decider. */
export async function foldStreams(store: EventStore): Promise<HistoryOutputs['writeModels']> {
  const streams = new Set<string>();
  for await (const batch of store.readAll()) batch.forEach((event) => streams.add(event.streamName));
  const models = { cases: {}, households: {}, activities: {}, reports: {} } as {
    cases: Record<string, CaseState>;
    households: Record<string, HouseholdState>;
    activities: Record<string, ActivityState>;
    reports: Record<string, ReportState>;
  };
  for (const stream of [...streams].sort()) {
    const events = await store.readStream(stream);
    const id = idOf(stream);
    const category = categoryOf(stream);
    if (category === CASE_CATEGORY) models.cases[id] = foldCase(events);
    else if (category === HOUSEHOLD_CATEGORY) models.households[id] = foldHousehold(events);
    else if (category === ACTIVITY_CATEGORY) models.activities[id] = foldActivity(events);
    else if (category === REPORT_CATEGORY) models.reports[id] = foldReport(events);
    else throw new Error(`${stream}: no write model for the category ${category}`);
  }
  return models;
}
