import { categoryOf, type EventMetadata, type RecordedEvent } from '@wih/event-store';

/** What an upcaster sees and returns: the stored type and payload, without the envelope. */
export interface StoredShape {
  readonly type: string;
  readonly data: unknown;
}

/** Turns one event type's stored shape at version n into its shape at version n + 1. Pure. */
export type Upcaster = (event: StoredShape) => StoredShape;

/**
 * One schema version: why it exists, and the upcasters from the previous version, keyed by the
 * event type as it was stored at the previous version. A type without an upcaster kept its shape.
 */
export interface SchemaStep {
  readonly why: string;
  readonly upcasters: Readonly<Record<string, Upcaster>>;
}

export interface UpcasterChainDefinition {
  /** The version writers stamp today (SCHEMA_VERSION). */
  readonly current: number;
  /** Keyed by the version a step leads TO (2, 3, …): every version from 2 to `current` needs one. */
  readonly steps: Readonly<Record<number, SchemaStep>>;
  /**
   * The event types this code reads, by stream category (after upcasting): an event of another type
   * in a listed category is refused with UnknownEventTypeError. Categories not listed are not the
   * domain's (the smoke test's own stream) and are not checked; absent: no check at all.
   */
  readonly types?: Readonly<Record<string, ReadonlySet<string>>>;
}

/** The metadata of an upcast event: the stored version is kept so that nothing is hidden. */
export interface UpcastMetadata extends EventMetadata {
  readonly upcastFrom?: number;
}

export interface UpcasterChain {
  readonly current: number;
  /** The event as the current version; the same object when it already is current. */
  upcast(recorded: RecordedEvent): RecordedEvent;
}

/**
 * A stored event whose version this code does not know (written by newer code, or damaged).
 * Reading on would mis-read it, so every reader stops here instead.
 */
export class UnknownSchemaVersionError extends Error {
  constructor(
    readonly eventType: string,
    readonly version: unknown,
    readonly current: number,
    readonly stream: string,
    readonly revision: number,
  ) {
    super(
      `${eventType} at ${stream}@${revision} has schemaVersion ${JSON.stringify(version)}; this code reads versions 1 to ${current} (deploy the newer code that wrote it)`,
    );
    this.name = 'UnknownSchemaVersionError';
  }
}

/**
 * A stored event whose type this code does not know for its stream (written by newer code, e.g.
 * after a rollback past a new event, or damaged). Folding it would corrupt the state, and skipping
 * it would hide a fact, so every reader stops here too, as for an unknown schema version.
 */
export class UnknownEventTypeError extends Error {
  constructor(
    readonly eventType: string,
    readonly stream: string,
    readonly revision: number,
  ) {
    super(`${eventType} at ${stream}@${revision} is not an event type this code reads (deploy the newer code that wrote it)`);
    this.name = 'UnknownEventTypeError';
  }
}

/** A definition that could not read every version it claims to (refused when the chain is built). */
export class UpcasterChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpcasterChainError';
  }
}

function validate({ current, steps }: UpcasterChainDefinition): void {
  if (!Number.isInteger(current) || current < 1) throw new UpcasterChainError(`current version must be an integer ≥ 1, got ${current}`);
  for (let version = 2; version <= current; version++) {
    if (!steps[version])
      throw new UpcasterChainError(`no step to version ${version}: declare it (even with no upcasters) so that the bump is deliberate`);
  }
  const beyond = Object.keys(steps)
    .map(Number)
    .filter((version) => !(version >= 2 && version <= current));
  if (beyond.length > 0) throw new UpcasterChainError(`steps outside 2…${current}: ${beyond.join(', ')}`);
}

/**
 * Builds the chain: an event stored at version n runs through the upcasters of steps n+1 … current,
 * in that order, each one seeing the type and data the previous one produced. The type it ends
 * with must be one the definition's `types` list for its stream's category.
 */
export function upcasterChain(definition: UpcasterChainDefinition): UpcasterChain {
  validate(definition);
  const { current, steps, types } = definition;
  const checked = (recorded: RecordedEvent): RecordedEvent => {
    const known = types?.[categoryOf(recorded.streamName)];
    if (known && !known.has(recorded.type)) {
      throw new UnknownEventTypeError(recorded.type, recorded.streamName, recorded.revision);
    }
    return recorded;
  };
  const upcast = (recorded: RecordedEvent): RecordedEvent => {
    const stored: unknown = recorded.metadata.schemaVersion;
    if (stored === current) return checked(recorded);
    if (typeof stored !== 'number' || !Number.isInteger(stored) || stored < 1 || stored > current) {
      throw new UnknownSchemaVersionError(recorded.type, stored, current, recorded.streamName, recorded.revision);
    }
    let shape: StoredShape = { type: recorded.type, data: recorded.data };
    for (let version = stored + 1; version <= current; version++) {
      const upcaster = steps[version].upcasters[shape.type];
      if (upcaster) shape = upcaster(shape);
    }
    const metadata: UpcastMetadata = { ...recorded.metadata, schemaVersion: current, upcastFrom: stored };
    return checked({ ...recorded, type: shape.type, data: shape.data, metadata });
  };
  return { current, upcast };
}
