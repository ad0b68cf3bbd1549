import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PersonalDataKeys, runRetention, type RetentionReport } from '@wih/application';
import { businessDateOf } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import type { Settings } from '@wih/runtime';
import { SETTINGS } from '../app/tokens';
import { ReadStoreScrub } from '../households/read-store-scrub';
import { MetricsService } from '../metrics/metrics.service';
import { InjectEventStore } from '../store/event-store.provider';

/**
 * The daily retention job (RUN_RETENTION, default on): erases the personal data of households
 * whose retention period ended, through the same path as the erase route. Several API processes
 * may run it: every step of an erasure is idempotent. Logs counts only, never household data.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');
  private running: Promise<RetentionReport> | null = null;

  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly keys: PersonalDataKeys,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly scrub: ReadStoreScrub,
    private readonly metrics: MetricsService,
  ) {}

  @Cron(CronExpression.EVERY_DAY_AT_3AM, { name: 'retention', timeZone: 'Europe/Berlin', waitForCompletion: true })
  async scheduled(): Promise<void> {
    if (!this.settings.runRetention) return;
    try {
      const report = await this.run();
      this.logger.log(
        {
          due: report.due.length,
          erased: report.erasures.filter((e) => e.outcome === 'erased').length,
          completed: report.completed.length,
        },
        'retention run',
      );
    } catch (error) {
      this.logger.error({ error: error instanceof Error ? error.name : 'unknown' }, 'retention run failed; the next run tries again');
    }
  }

  /** One run at a time in this process. */
  run(now = new Date(), dryRun = false): Promise<RetentionReport> {
    this.running ??= runRetention(this.store, this.keys, { now, today: businessDateOf(now), periods: this.settings.retention, dryRun })
      .then((report) => {
        this.metrics.countErasures([...report.completed, ...report.erasures]);
        // Also when nothing was due: a scrub an earlier erasure could not finish is retried nightly.
        if (!dryRun) void this.scrub.afterErasure();
        return report;
      })
      .finally(() => (this.running = null));
    return this.running;
  }
}
