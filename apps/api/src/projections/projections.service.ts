import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PersonalDataKeys, type ProjectionManager } from '@wih/application';
import type { EventStore } from '@wih/event-store';
import type { ReadStore } from '@wih/read-store';
import { projectionManagers, type Settings } from '@wih/runtime';
import { SETTINGS } from '../app/tokens';
import { InjectEventStore } from '../store/event-store.provider';
import { InjectReadStore } from '../store/read-store.provider';

/**
 * Runs the projections in this process when `RUN_PROJECTIONS` is on (the embedded default);
 * in production `apps/projector` runs them and the API only reads. Either way a lease in the
 * read store lets exactly one process write each projection.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  readonly managers: ReadonlyMap<string, ProjectionManager>;

  constructor(
    @InjectEventStore() events: EventStore,
    @InjectReadStore() reads: ReadStore,
    @Inject(SETTINGS) private readonly settings: Settings,
    keys: PersonalDataKeys,
  ) {
    const log = { warn: (message: string, fields?: Record<string, unknown>) => this.logger.warn({ ...fields }, message) };
    this.managers = projectionManagers(events, reads, keys, 'api', log);
  }

  get(name: string): ProjectionManager | undefined {
    return this.managers.get(name);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.runProjections) return;
    for (const manager of this.managers.values()) await manager.start();
  }

  /** Before the stores close: the runners finish their batch and release their leases. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.managers.values()].map((m) => m.stop()));
  }
}
