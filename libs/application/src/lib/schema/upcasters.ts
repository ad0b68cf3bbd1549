import { ACTIVITY_CATEGORY, ACTIVITY_EVENT_TYPES, CASE_EVENT_TYPES, REPORT_EVENT_TYPES, RESERVATION_FENCE } from '@wih/domain';
import { HOUSEHOLD_EVENT_TYPES, SCHEMA_VERSION } from '../codec';
import { upcasterChain, type SchemaStep, type UpcasterChain } from './upcasting';

/**
 * Every schema version after 1, keyed by the version it leads to. Adding a version: bump
 * SCHEMA_VERSION in codec.ts, add its step here, record a new history fixture
 * (docs/schema-evolution.md). Steps are never edited or removed once released: stored events
 * of every old version must keep reading.
 */
export const SCHEMA_STEPS: Readonly<Record<number, SchemaStep>> = {
  2: {
    why:
      'the personal part is sealed (AES-256-GCM, one key per household; decision 0009). A version 1 personal part ' +
      'is plaintext of the same fields: the opening step tells the two apart by shape, so no event changes shape here.',
    upcasters: {},
  },
};

/**
 * The event types of each stream category this code reads: any other is refused on read (as an
 * unknown version is), so no reader folds, projects or counts an event it does not understand.
 */
export const STORED_EVENT_TYPES: Readonly<Record<string, ReadonlySet<string>>> = {
  // a case stream may begin with the fence of a healed reservation (decision 0005): known, never folded
  case: new Set([...CASE_EVENT_TYPES, RESERVATION_FENCE]),
  household: HOUSEHOLD_EVENT_TYPES,
  report: REPORT_EVENT_TYPES,
  [ACTIVITY_CATEGORY]: new Set(ACTIVITY_EVENT_TYPES),
};

/** The chain every reader of the log goes through (runtime's openEventStore applies it). */
export const UPCASTERS: UpcasterChain = upcasterChain({ current: SCHEMA_VERSION, steps: SCHEMA_STEPS, types: STORED_EVENT_TYPES });
