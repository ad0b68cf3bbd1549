import type { CaseState } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import { StateCache, stateCacheOf, type StreamView } from './state-cache';
import { CASE_STREAMS } from './streams';

/** What a case command decides on (see StreamView). */
export type CaseView = StreamView<CaseState>;

/** The state cache of the case streams (see StateCache). */
export class CaseStateCache extends StateCache<CaseState> {
  constructor(maxStreams?: number) {
    super(CASE_STREAMS, maxStreams);
  }
}

/** The case streams' cache of this store handle: the one handleCaseCommand uses. */
export const caseStateCacheOf = (store: EventStore): StateCache<CaseState> => stateCacheOf(store, CASE_STREAMS);
