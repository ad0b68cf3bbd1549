import type { ReadStore } from '@wih/read-store';
import { metaKey } from './meta-keys';

/** Which generation of a read model queries read; switched atomically at the end of a rebuild. */
export interface ActiveGeneration {
  readonly generation: number;
  /** The projection version the generation was built with. */
  readonly version: number;
}

export interface RebuildStatus {
  readonly status: 'running' | 'done' | 'failed' | 'cancelled';
  readonly generation: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** Events read so far, and the estimated total (from the log's head when the rebuild started). */
  readonly done: number;
  readonly total: number;
  /** Events per second so far. */
  readonly rate: number;
  /** Seconds left, estimated; null when unknown. */
  readonly eta: number | null;
  readonly error: string | null;
}

/** What every generation's collection name of a projection starts with. */
export const generationsPrefix = (projection: string): string => `${projection}@`;
export const collectionOf = (projection: string, generation: number) => `${generationsPrefix(projection)}${generation}`;
export const activeKey = (projection: string): string => metaKey({ kind: 'active', projection });
export const rebuildKey = (projection: string): string => metaKey({ kind: 'rebuild', projection });

export const readActive = (reads: ReadStore, projection: string) => reads.getMeta<ActiveGeneration>(activeKey(projection));
export const readRebuild = (reads: ReadStore, projection: string) => reads.getMeta<RebuildStatus>(rebuildKey(projection));
