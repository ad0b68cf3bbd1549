import type { AccessEntry, AccessLog } from '@wih/access-log';
import type { RetentionPeriods } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import { decodeCaseEvent, decodeHouseholdEvent } from '../codec';
import { withPersonalData } from '../personal-data/reading';
import type { PersonalDataKeys } from '../personal-data/keys';
import { caseStream, foldHousehold, householdStream, isCaseEvent } from '../streams';
import { accessReport, type AccessReport } from './access-report';

/** Entries per access-log read: a case read many times is paged, never loaded in one query. */
const PAGE = 1000;

async function readsOf(log: AccessLog, caseId: string): Promise<AccessEntry[]> {
  const entries: AccessEntry[] = [];
  for (let page = await log.find({ caseId, limit: PAGE }); page.length > 0;) {
    entries.push(...page);
    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    page = await log.find({ caseId, limit: PAGE, after: { at: last.at, id: last.id } });
  }
  return entries;
}

export interface AssembledAccessReport {
  readonly report: AccessReport;
  /** Every case of the household: the report is written to the access log under each. */
  readonly caseIds: readonly string[];
}

/**
 * Reads what the access report needs (decision 0033): the household stream, each of its case
 * streams with the personal parts opened under the household's key (as the projections read
 * them), and the access log's entries for its cases. Null for a household that has no case (an
 * unknown id). An erased household's case streams and reads are not read at all: the report then
 * says only that the data was erased.
 */
export async function readAccessReport(
  store: EventStore,
  keys: PersonalDataKeys,
  log: AccessLog,
  householdId: string,
  options: { readonly issuedAt: string; readonly retention: RetentionPeriods },
): Promise<AssembledAccessReport | null> {
  const recorded = await store.readStream(householdStream(householdId));
  const state = foldHousehold(recorded);
  if (state.cases.length === 0) return null;
  const caseIds = state.cases.map((c) => c.caseId);
  const household = recorded.map(decodeHouseholdEvent);
  const input = { householdId, issuedAt: options.issuedAt, household, retention: options.retention };
  if (state.erasedOn) return { report: accessReport({ ...input, cases: [], reads: [] }), caseIds };

  const opened = withPersonalData(store, keys);
  const cases = [];
  const reads: AccessEntry[] = [];
  for (const caseId of caseIds) {
    const events = (await opened.readStream(caseStream(caseId))).filter(isCaseEvent).map(decodeCaseEvent);
    cases.push({ caseId, events });
    reads.push(...(await readsOf(log, caseId)));
  }
  return { report: accessReport({ ...input, cases, reads }), caseIds };
}
