import {
  checkDraft,
  checkFinalisation,
  personalDataIn,
  type DraftReportText,
  type FinaliseAnnualReport,
  type HouseholdNameAndAddress,
  type ReportSection,
  type ReportState,
} from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import { createHash } from 'node:crypto';
import { PersonalDataInTextError } from '../errors';
import { defaultHandlerSettings, handleCommand, type Actor, type CommandOptions, type HandlerSettings } from '../handle-command';
import { canonicalJson } from '../idempotency';
import { stateCacheOf } from '../state-cache';
import { REPORT_STREAMS, reportStream } from '../streams';

export interface ReportTextInput {
  readonly year: number;
  readonly section: ReportSection;
  readonly text: string;
  /** If-Match: the section's revision (not the stream's), checked by the domain. */
  readonly expectedRevision?: number;
}

export interface ReportTextResult {
  readonly year: number;
  readonly section: ReportSection;
  /** The section's revision after the draft (its ETag). */
  readonly revision: number;
  readonly position: bigint;
  readonly replayed: boolean;
}

/**
 * Where the check finds every readable household's name and address (the cases read model),
 * and what it does with a match before the refusal is answered (the access log's entry).
 */
export interface HouseholdDirectory {
  households(): Promise<Iterable<HouseholdNameAndAddress>>;
}

/** Options without If-Match: a report's If-Match is a section's revision, passed in the input. */
export type ReportCommandOptions = Omit<CommandOptions, 'expectedRevision'>;

/**
 * One draft of one section. The domain's rules first (role, year, finalised, If-Match, length);
 * then the text is checked against every readable household (PersonalDataInTextError, nothing
 * written); then the draft is appended. A keyed retry answers as the first time.
 */
export async function draftReportText(
  store: EventStore,
  input: ReportTextInput,
  actor: Actor,
  options: ReportCommandOptions,
  directory: HouseholdDirectory,
  settings: HandlerSettings = defaultHandlerSettings,
): Promise<ReportTextResult> {
  const stream = reportStream(input.year);
  let checked = false;
  const result = await handleCommand(
    store,
    {
      stream,
      decider: REPORT_STREAMS,
      actor,
      options,
      command: async (context, state) => {
        const command: DraftReportText = { type: 'DraftReportText', ...input, context };
        checkDraft(command, state);
        // The text does not change between attempts: checked once.
        if (!checked) {
          const matches = personalDataIn(input.text, await directory.households());
          if (matches.length > 0) throw new PersonalDataInTextError(matches);
          checked = true;
        }
        return command;
      },
    },
    settings,
  );
  const [event] = await store.readStream(stream, { fromRevision: result.revision });
  const revision = (event?.data as { revision?: unknown } | undefined)?.revision;
  if (typeof revision !== 'number') throw new Error(`${stream}: no draft at revision ${result.revision}`);
  return { year: input.year, section: input.section, revision, position: result.position, replayed: result.replayed };
}

/** SHA-256 of the published model's canonical JSON (sorted keys): what `figuresDigest` says. */
export const figuresDigestOf = (report: unknown): string => createHash('sha256').update(canonicalJson(report)).digest('hex');

export interface FinalisationResult {
  readonly year: number;
  readonly asOf: string;
  readonly figuresDigest: string;
  readonly revision: number;
  readonly position: bigint;
  readonly replayed: boolean;
}

/**
 * Finalises a year: the rules that need no figures first (a second finalisation is refused before
 * anything is computed), then `compute` the published report as of asOf (the evaluation thread),
 * once, then the event holding it and its digest.
 */
export async function finaliseAnnualReport(
  store: EventStore,
  input: { readonly year: number; readonly asOf: string },
  actor: Actor,
  options: ReportCommandOptions,
  compute: (year: number, asOf: string) => Promise<unknown>,
  settings: HandlerSettings = defaultHandlerSettings,
): Promise<FinalisationResult> {
  const stream = reportStream(input.year);
  let figures: FinaliseAnnualReport['figures'] | undefined;
  const result = await handleCommand(
    store,
    {
      stream,
      decider: REPORT_STREAMS,
      actor,
      options,
      command: async (context, state) => {
        const request = { year: input.year, asOf: input.asOf, context };
        checkFinalisation(request, state);
        if (!figures) {
          const report = await compute(input.year, input.asOf);
          figures = { digest: figuresDigestOf(report), report };
        }
        const command: FinaliseAnnualReport = { type: 'FinaliseAnnualReport', ...request, figures };
        return command;
      },
    },
    settings,
  );
  const [event] = await store.readStream(stream, { fromRevision: result.revision });
  const data = event?.data as { asOf?: unknown; figuresDigest?: unknown } | undefined;
  if (event?.type !== 'AnnualReportFinalised' || typeof data?.figuresDigest !== 'string') {
    throw new Error(`${stream}: no finalisation at revision ${result.revision}`);
  }
  return {
    year: input.year,
    asOf: String(data.asOf),
    figuresDigest: data.figuresDigest,
    revision: result.revision,
    position: result.position,
    replayed: result.replayed,
  };
}

/** The year's report stream folded (its text and finalisation): a short stream, read on the caller's thread. */
export async function readAnnualReportState(store: EventStore, year: number): Promise<ReportState> {
  return (await stateCacheOf(store, REPORT_STREAMS).load(store, reportStream(year))).state;
}
