import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { defaultHandlerSettings, recordActivity, type ActivityResult } from '@wih/application';
import type { EventStore } from '@wih/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { InjectEventStore } from '../store/event-store.provider';
import { RecordActivityCommand } from './commands';

/** No personal data, so no households' keys: the default handler settings. */
@CommandHandler(RecordActivityCommand)
export class RecordActivityHandler implements ICommandHandler<RecordActivityCommand> {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly metrics: MetricsService,
  ) {}

  async execute({ input, actor, options }: RecordActivityCommand): Promise<ActivityResult> {
    const result = await recordActivity(this.store, input, actor, options, defaultHandlerSettings);
    // An idempotent replay wrote nothing.
    if (!result.replayed) this.metrics.countAppends('RecordActivity');
    return result;
  }
}
