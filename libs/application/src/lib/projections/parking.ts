import { streamName, type EventStore } from '@wih/event-store';
import type { ProjectedEvent } from '@wih/projections';
import type { ReadStore } from '@wih/read-store';
import { metaKey, metaPrefix } from './meta-keys';
import { toProjectedEvent } from './projected-event';

/**
 * Parked events: an event whose projection kept throwing is parked for its document, and so are
 * that document's later events, so one document never sees its events out of order while the
 * others keep flowing. Admins retry or skip them; nothing is dropped silently.
 */
export interface ParkedEvent {
  readonly projection: string;
  /** The document's key; it need not name a stream (a document may gather events of many streams). */
  readonly key: string;
  readonly position: string;
  /** `<stream id>@<revision>`: where the event is read again on a retry (see parkedEventIdOf). */
  readonly eventId: string;
  readonly type: string;
  /** Error class and message of the projection code (projections never put personal data in messages). */
  readonly error: string;
  readonly attempts: number;
  readonly parkedAt: string;
}

export type ParkedAction = 'retry' | 'skip';

/** The event's stream id (within the projection's category) and revision; the id may hold '@', the revision never does. */
export const parkedEventIdOf = (streamId: string, revision: number): string => `${streamId}@${revision}`;
export const streamIdOfParked = (parked: ParkedEvent): string => parked.eventId.slice(0, parked.eventId.lastIndexOf('@'));

const parkedKey = (parked: ParkedEvent) =>
  metaKey({ kind: 'parked', collection: parked.projection, key: parked.key, position: parked.position });

export async function park(reads: ReadStore, parked: ParkedEvent): Promise<void> {
  await reads.setMeta(parkedKey(parked), parked);
}

export async function listParked(reads: ReadStore, projection: string, key?: string): Promise<ParkedEvent[]> {
  return (await reads.listMeta<ParkedEvent>(metaPrefix('parked', projection, key))).map((entry) => entry.value);
}

export async function unpark(reads: ReadStore, parked: ParkedEvent): Promise<void> {
  await reads.deleteMeta(parkedKey(parked));
}

/** A skipped event is kept (with when it was skipped), never dropped without a trace. */
export async function recordSkipped(reads: ReadStore, parked: ParkedEvent, skippedAt: string): Promise<void> {
  await reads.setMeta(metaKey({ kind: 'skipped', collection: parked.projection, key: parked.key, position: parked.position }), {
    ...parked,
    skippedAt,
  });
}

/** An admin's request, carried out by the runner that holds the projection (in any process). */
export async function requestParkedAction(reads: ReadStore, projection: string, key: string, action: ParkedAction): Promise<void> {
  await reads.setMeta(metaKey({ kind: 'parked-request', collection: projection, key }), { key, action });
}

/**
 * An operator's retry or skip: recorded only when `key` has parked events, since a request for a
 * key with none would be accepted and then do nothing (false: nothing recorded). The API answers
 * 404 `parked-not-found` on false, the CLI an error.
 */
export async function requestParkedActionIfParked(
  reads: ReadStore,
  projection: string,
  key: string,
  action: ParkedAction,
): Promise<boolean> {
  if ((await listParked(reads, projection, key)).length === 0) return false;
  await requestParkedAction(reads, projection, key, action);
  return true;
}

export async function takeParkedRequests(reads: ReadStore, projection: string): Promise<{ key: string; action: ParkedAction }[]> {
  const requests = await reads.listMeta<{ key: string; action: ParkedAction }>(metaPrefix('parked-request', projection));
  await Promise.all(requests.map((r) => reads.deleteMeta(r.key)));
  return requests.map((r) => r.value);
}

/**
 * The parked events read again from their own streams (a document's key need not name a stream),
 * in log order; an event the log no longer holds is left out.
 */
export async function readParkedEvents(events: EventStore, category: string, parked: readonly ParkedEvent[]): Promise<ProjectedEvent[]> {
  const positions = new Set(parked.map((p) => p.position));
  const found: ProjectedEvent[] = [];
  for (const streamId of new Set(parked.map(streamIdOfParked))) {
    for (const recorded of await events.readStream(streamName(category, streamId))) {
      if (positions.has(recorded.position.toString())) found.push(toProjectedEvent(recorded));
    }
  }
  return found.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
}
