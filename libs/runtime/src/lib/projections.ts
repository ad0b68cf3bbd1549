import {
  defaultManagerSettings,
  ProjectionManager,
  withPersonalData,
  type PartitionedFold,
  type PersonalDataKeys,
  type RunnerLogger,
} from '@wih/application';
import type { EventStore } from '@wih/event-store';
import { PROJECTIONS } from '@wih/projections';
import type { ReadStore } from '@wih/read-store';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * One manager per projection; `role` names the process kind in the lease owner (api, projector,
 * cli). The projections read the log with personal parts opened under the households' keys.
 * `partitions` (see `workerPartitions`): rebuilds fold on these threads.
 */
export function projectionManagers(
  events: EventStore,
  reads: ReadStore,
  keys: PersonalDataKeys,
  role: string,
  logger?: RunnerLogger,
  partitions?: PartitionedFold,
): Map<string, ProjectionManager> {
  const owner = `${role}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const opened = withPersonalData(events, keys);
  return new Map(
    PROJECTIONS.map((p) => [p.name, new ProjectionManager(p, opened, reads, { ...defaultManagerSettings(owner), partitions }, logger)]),
  );
}
