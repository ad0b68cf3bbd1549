import type { Decider } from '../decider';
import { conflict, forbidden, invalid, stale } from '../errors';
import { unknownCommand } from '../exhaustive';
import { REPORT_ROLES, REPORT_TEXT_MAX_LENGTH, type DraftReportText, type FinalisationRequest, type ReportCommand } from './commands';
import type { ReportEvent } from './events';
import { evolveReport, initialReportState, type ReportState } from './state';

/** Characters as a reader counts them: code points of the composed (NFC) form, so decomposed umlauts count once. */
export const reportTextLength = (text: string): number => [...text.normalize('NFC')].length;

const requireEvaluator = ({ actor }: { readonly actor: { readonly role: string } }): void => {
  if (!(REPORT_ROLES as readonly string[]).includes(actor.role)) {
    throw forbidden('role-not-allowed', 'only an evaluator may draft or finalise the annual report');
  }
};

/** A report year has begun (its text may be drafted during the year). 409 like other rules on dates: the body fits another year. */
const requireYearBegun = (year: number, today: string): void => {
  if (!Number.isInteger(year) || year > Number(today.slice(0, 4))) throw conflict('year-not-begun', `the year ${year} has not begun`);
};

/** DOMAIN.md: a finalised report reads the same forever. */
const requireNotFinalised = (state: ReportState, year: number): void => {
  if (state.finalised) throw conflict('report-finalised', `the annual report ${year} was finalised on ${state.finalised.finalisedOn}`);
};

/**
 * Role, year, finalisation, If-Match and length: everything about a draft but the personal-data
 * check, which needs the households and runs after these (so a refused draft never probes them).
 */
export function checkDraft(command: Omit<DraftReportText, 'type'>, state: ReportState): void {
  requireEvaluator(command.context);
  requireYearBegun(command.year, command.context.today);
  requireNotFinalised(state, command.year);
  const current = state.sections[command.section].revision;
  if (command.expectedRevision !== undefined && command.expectedRevision !== current) {
    throw stale('stale-revision', `the section ${command.section} is at revision ${current}, not ${command.expectedRevision}`);
  }
  if (reportTextLength(command.text) > REPORT_TEXT_MAX_LENGTH) {
    throw invalid('text-too-long', `a section holds at most ${REPORT_TEXT_MAX_LENGTH} characters`);
  }
}

/** The last instant of the year counts as its end: `asOf` + 1 ms must fall into the next year in Cologne. */
const endsTheYear = (asOf: number, year: number): boolean => {
  const next = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(new Date(asOf + 1));
  return Number(next) > year;
};

/**
 * The rules of a finalisation that do not need the figures: checked before the (costly) report
 * is computed, and again when the command is decided. asOf is an instant: not in the future (the
 * figures could still change), and not before the end of the year (the year must be complete).
 */
export function checkFinalisation(command: FinalisationRequest, state: ReportState): void {
  requireEvaluator(command.context);
  requireNotFinalised(state, command.year);
  const asOf = Date.parse(command.asOf);
  if (Number.isNaN(asOf)) throw invalid('validation', 'asOf is not an instant');
  if (asOf > Date.parse(command.context.now)) throw conflict('date-in-future', 'asOf must not be in the future');
  if (!endsTheYear(asOf, command.year)) {
    throw conflict('year-not-ended', `asOf must not be before the end of ${command.year} (31 December, Cologne time)`);
  }
}

export function decideReport(command: ReportCommand, state: ReportState): ReportEvent[] {
  switch (command.type) {
    case 'DraftReportText': {
      checkDraft(command, state);
      const { year, section, text } = command;
      return [{ type: 'ReportTextDrafted', data: { year, section, revision: state.sections[section].revision + 1, text } }];
    }
    case 'FinaliseAnnualReport': {
      checkFinalisation(command, state);
      const { year, asOf, context, figures } = command;
      return [
        {
          type: 'AnnualReportFinalised',
          data: { year, asOf, finalisedAt: context.now, finalisedOn: context.today, figuresDigest: figures.digest, report: figures.report },
        },
      ];
    }
    default:
      return unknownCommand(command);
  }
}

/** One stream per report year (category `report`, streams.ts). */
export const reportDecider: Decider<ReportState, ReportCommand, ReportEvent> = {
  decide: decideReport,
  evolve: evolveReport,
  initialState: initialReportState,
};
