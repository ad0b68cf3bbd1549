/**
 * Pure translation between the port and the EventStoreDB client: no I/O, unit tested without a
 * server.
 */
import {
  ANY,
  ErrorType,
  NO_STREAM,
  convertToCommandError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type CurrentRevision,
  type EventData,
  type JSONType,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { ConcurrencyError, StoreUnavailableError } from '../errors';
import type { AppendResult, EventMetadata, ExpectedRevision, LogPosition, NewEvent, RecordedEvent } from '../port';
import { categoryOf } from '../streams';

export const toEsdbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  if (expected === 'no-stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
};

export const toEventData = (event: NewEvent): EventData =>
  jsonEvent({
    id: event.id,
    type: event.type,
    // The port types data as unknown; the client JSON.stringifies whatever it gets, so any JSON
    // value (not only the objects, arrays and strings its type admits) is written correctly.
    data: (event.data ?? null) as JSONType,
    metadata: event.metadata,
  });

/**
 * Port position = commit position. To resume after p we pass {commit: p, prepare: p}: the write
 * side appends one event per command, so each event has its own commit position and, for such
 * single-event commits, the prepare position equals it. Events of one multi-event append share
 * a commit position; resuming in the middle of one would skip the rest of it.
 */
export const toEsdbPosition = (position: LogPosition): Position => ({ commit: position, prepare: position });

export const toAppendResult = (
  result: EsdbAppendResult,
  append: { readonly stream: string; readonly expected: ExpectedRevision },
): AppendResult => {
  // With `throwOnAppendFailure=false` in the connection string a conflict arrives as a result;
  // the client's current revision on that path is unreliable, so it is not reported.
  if (!result.success) throw new ConcurrencyError(append.stream, String(append.expected), 'unknown');
  if (!result.position) throw new Error('EventStoreDB returned no log position for the append');
  return { revision: Number(result.nextExpectedRevision), position: result.position.commit };
};

/** Position of a record read from $all; events read from a stream carry it since server 22.6. */
export const rawPositionOf = (resolved: ResolvedEvent | AllStreamResolvedEvent): Position | undefined => {
  if (resolved.event?.position) return resolved.event.position;
  if (resolved.commitPosition === undefined) return undefined;
  return { commit: resolved.commitPosition, prepare: resolved.commitPosition };
};

/** Orders two $all positions (commit, then prepare). */
export const comparePositions = (a: Position, b: Position): number => {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
};

/** System records ($-prefixed type or stream: stats, projections, stream metadata, links). */
export const isSystemEvent = (resolved: ResolvedEvent | AllStreamResolvedEvent): boolean => {
  const event = resolved.event;
  return !event || event.type.startsWith('$') || event.streamId.startsWith('$');
};

/** Why a record of a user stream is not one of this application's events. */
export interface ForeignEvent {
  readonly streamName: string;
  readonly id: string;
  readonly type: string;
  readonly position: LogPosition | undefined;
  readonly reason: string;
}

/** Told of each foreign event a read skips (the adapter logs it); never of its data. */
export type ForeignEventListener = (event: ForeignEvent) => void;

/**
 * A record as the port's event, or why it is not one of ours. Ours: JSON data, JSON object
 * metadata with our envelope (`commandId`, `schemaVersion`), a position. What client 6.2.1 makes
 * of other writers' records (utils/convertGrpcEvent.js): empty metadata → `undefined`, metadata
 * that is not JSON → its bytes, JSON-typed data that does not parse → the raw string, other
 * content types → bytes (`isJson: false`).
 */
export const decodeResolvedEvent = (
  resolved: ResolvedEvent | AllStreamResolvedEvent,
): { readonly event: RecordedEvent } | { readonly foreign: ForeignEvent } | undefined => {
  const event = resolved.event;
  if (!event) return undefined;
  const position = rawPositionOf(resolved);
  const foreign = (reason: string) => ({
    foreign: { streamName: event.streamId, id: event.id, type: event.type, position: position?.commit, reason },
  });
  if (!position) return foreign('no log position (EventStoreDB 22.6 or later is required)');
  const metadata = parseJson(event.metadata);
  if (!isEnvelope(metadata)) return foreign("its metadata is not this application's JSON envelope");
  // JSON-typed data that did not parse arrives as its raw string, which cannot be told from a
  // JSON string; such a writer is refused by the envelope check above in practice.
  const data = event.isJson ? event.data : parseJson(event.data);
  if (data === NOT_JSON) return foreign('its data is not JSON');
  return {
    event: {
      id: event.id,
      type: event.type,
      data,
      metadata,
      streamName: event.streamId,
      revision: Number(event.revision),
      position: position.commit,
    },
  };
};

/** One record of a stream this application writes: a foreign record there is an error. */
export const fromResolvedEvent = (resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined => {
  const decoded = decodeResolvedEvent(resolved);
  if (decoded && 'foreign' in decoded) {
    throw new Error(`event ${decoded.foreign.id} in ${decoded.foreign.streamName}: ${decoded.foreign.reason}`);
  }
  return decoded?.event;
};

/**
 * The port's view of raw $all records: user events only, after `after`, of `category` if given.
 * Records of other writers are skipped and reported, so one of them cannot stop every catch-up.
 */
export const toUserEvents = (
  page: readonly (ResolvedEvent | AllStreamResolvedEvent)[],
  after: LogPosition | undefined,
  category: string | undefined,
  onForeign: ForeignEventListener = () => undefined,
): RecordedEvent[] => {
  const events: RecordedEvent[] = [];
  for (const resolved of page) {
    if (isSystemEvent(resolved)) continue;
    if (category !== undefined && categoryOf(resolved.event?.streamId ?? '') !== category) continue;
    const decoded = decodeResolvedEvent(resolved);
    if (!decoded) continue;
    if ('foreign' in decoded) {
      const position = decoded.foreign.position;
      if (after === undefined || position === undefined || position > after) onForeign(decoded.foreign);
    } else if (after === undefined || decoded.event.position > after) {
      events.push(decoded.event);
    }
  }
  return events;
};

const NOT_JSON = Symbol('not JSON');

/** The client parses JSON itself; bytes remain only for binary events or unparsable metadata. */
const parseJson = (value: unknown): unknown => {
  if (!(value instanceof Uint8Array)) return value;
  try {
    return JSON.parse(Buffer.from(value).toString('utf8')) as unknown;
  } catch {
    return NOT_JSON;
  }
};

/** The envelope this port writes (EventMetadata): the fields every reader relies on. */
const isEnvelope = (value: unknown): value is EventMetadata =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as Partial<EventMetadata>).commandId === 'string' &&
  typeof (value as Partial<EventMetadata>).schemaVersion === 'number';

const UNAVAILABLE_TYPES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
]);

/** The client's error kind: its errors (and plain look-alikes) carry a string `type`. */
export const errorTypeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string' ? error.type : undefined;

export const isStreamNotFound = (error: unknown): boolean => errorTypeOf(error) === ErrorType.STREAM_NOT_FOUND;

/**
 * Port errors for client errors: wrong expected version → ConcurrencyError, connection trouble →
 * StoreUnavailableError, anything else unchanged. `append` names the attempted write, if any.
 */
export const translateEsdbError = (error: unknown, append?: { readonly stream: string; readonly expected: ExpectedRevision }): unknown => {
  const typed = toCommandError(error);
  const type = errorTypeOf(typed);
  // Its `type` says it is a WrongExpectedVersionError (or a look-alike with optional fields).
  if (type === ErrorType.WRONG_EXPECTED_VERSION) return toConcurrencyError(typed as WrongExpectedVersionLike, append);
  if ((type !== undefined && UNAVAILABLE_TYPES.has(type)) || isDiscoveryFailure(typed)) {
    return new StoreUnavailableError(`EventStoreDB unavailable: ${messageOf(typed)}`, { cause: typed });
  }
  return typed;
};

interface WrongExpectedVersionLike {
  readonly streamName?: string;
  readonly expectedVersion?: AppendExpectedRevision;
  readonly actualVersion?: CurrentRevision;
}

const toConcurrencyError = (
  error: WrongExpectedVersionLike,
  append: { readonly stream: string; readonly expected: ExpectedRevision } | undefined,
): ConcurrencyError => {
  const stream = append?.stream ?? error.streamName ?? 'unknown';
  const expected = append ? String(append.expected) : describeRevision(error.expectedVersion);
  return new ConcurrencyError(stream, expected, describeRevision(error.actualVersion));
};

/** Client revisions in the port's words ('no_stream' → 'no-stream'). */
const describeRevision = (revision: AppendExpectedRevision | CurrentRevision | undefined): string => {
  if (revision === undefined) return 'unknown';
  if (revision === NO_STREAM) return 'no-stream';
  return String(revision);
};

/**
 * Some calls (e.g. the server-feature check before an append) reject with the raw gRPC error;
 * the client's own converter types it (status UNAVAILABLE → UnavailableError, ...).
 */
const toCommandError = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  try {
    return convertToCommandError(error);
  } catch {
    // The converter assumes gRPC fields that a foreign error with a numeric `code` may lack.
    return error;
  }
};

/** Cluster discovery gives up with a plain Error, not a typed one. */
const isDiscoveryFailure = (error: unknown): boolean => error instanceof Error && error.message.startsWith('Failed to discover');

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
