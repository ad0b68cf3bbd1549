import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PersonalDataKeys, type ProjectionManager, type ProjectionStatus } from '@wih/application';
import type { EventStore } from '@wih/event-store';
import type { ReadStore } from '@wih/read-store';
import { projectionManagers, type Settings } from '@wih/runtime';
import { SETTINGS } from '../app/tokens';
import { InjectEventStore } from '../store/event-store.provider';
import { InjectReadStore } from '../store/read-store.provider';
import { ProjectionThread, projectionThreadAvailable } from './projection-thread';
import { Supervisor } from './supervisor';

/**
 * Runs the projections in this process when `RUN_PROJECTIONS` is on (the embedded default): on a
 * worker thread of their own (projection-worker.ts) when the API runs compiled, so that their reads
 * and writes never hold the event loop that answers requests; on the main thread when run from the
 * TypeScript sources (tests). In production `apps/projector` runs them and the API only reads.
 * Either way a lease in the read store lets exactly one process or thread write each projection.
 *
 * The managers here serve the operations endpoints (rebuild and parked-event requests are records
 * in the read store, carried out by whichever holds the projection); they run the projections
 * themselves only when no thread does.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  readonly managers: ReadonlyMap<string, ProjectionManager>;
  private supervisor?: Supervisor<ProjectionThread>;

  constructor(
    @InjectEventStore() events: EventStore,
    @InjectReadStore() reads: ReadStore,
    @Inject(SETTINGS) private readonly settings: Settings,
    keys: PersonalDataKeys,
  ) {
    this.managers = projectionManagers(events, reads, keys, 'api', { warn: (message, fields) => this.warn(message, fields) });
  }

  get(name: string): ProjectionManager | undefined {
    return this.managers.get(name);
  }

  /** Each projection's status, as seen by whoever runs it here (the thread, or these managers). */
  async statuses(): Promise<ProjectionStatus[]> {
    const thread = this.supervisor?.running;
    if (thread?.running) return thread.statuses();
    return Promise.all([...this.managers.values()].map((m) => m.status()));
  }

  /**
   * The projections that nobody runs, by name, with their status (`stopped`, `failed`), or the
   * projection thread when it is not running here although it should: empty while the read side
   * works. A projection another process holds (`standby`) counts as running.
   */
  async readSideDown(): Promise<Record<string, string>> {
    if (this.supervisor && !this.supervisor.running?.running) return { projectionThread: 'not running' };
    const statuses = await this.statuses();
    return Object.fromEntries(statuses.filter((s) => s.status === 'stopped' || s.status === 'failed').map((s) => [s.name, s.status]));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.runProjections) return;
    if (projectionThreadAvailable()) {
      // A thread that ends by itself (a crash in a projection's store, out of memory) is started
      // again, so the read models do not stand still until someone restarts the API.
      this.supervisor = new Supervisor<ProjectionThread>({
        start: (ended) => ProjectionThread.start(this.settings, { warn: (message, fields) => this.warn(message, fields), exit: ended }),
        onRestart: (reason, delayMs) => this.logger.error(`the projection thread ${reason}; starting it again in ${delayMs} ms`),
      });
      await this.supervisor.begin();
      return;
    }
    for (const manager of this.managers.values()) await manager.start();
  }

  private warn(message: string, fields?: Record<string, unknown>): void {
    this.logger.warn({ ...fields }, message);
  }

  /** Before the stores close: the runners finish their batch and release their leases. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.supervisor?.stop();
    await Promise.all([...this.managers.values()].map((m) => m.stop()));
  }
}
