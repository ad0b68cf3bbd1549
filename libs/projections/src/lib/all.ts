import { activitiesProjection } from './activities.projection';
import { casesProjection } from './cases.projection';
import type { ProjectableEvent, Projection } from './projection';
import { timelineProjection } from './timeline.projection';

/**
 * A projection whose document type the caller does not know. Safe for the runner: it only hands a
 * projection documents that the same projection produced (one collection per projection).
 */
export type AnyProjection = Projection<unknown>;

const untyped = <Doc, E extends ProjectableEvent>(projection: Projection<Doc, E>): AnyProjection => projection as unknown as AnyProjection;

/** Every read model the runner keeps up to date. */
export const PROJECTIONS: readonly AnyProjection[] = [untyped(casesProjection), untyped(timelineProjection), untyped(activitiesProjection)];

export const projectionByName = (name: string): AnyProjection | undefined => PROJECTIONS.find((projection) => projection.name === name);
