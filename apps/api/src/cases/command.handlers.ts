import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { defaultHandlerSettings, handleCaseCommand, PersonalDataKeys, receiveReferral, type CommandResult, type HandlerSettings } from '@wih/application';
import type { EventStore } from '@wih/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { InjectEventStore } from '../store/event-store.provider';
import { ExecuteCaseCommand, ReceiveReferralCommand } from './commands';

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<ExecuteCaseCommand> {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly metrics: MetricsService,
    private readonly keys: PersonalDataKeys,
  ) {}

  private get settings(): HandlerSettings {
    return { ...defaultHandlerSettings, keys: this.keys };
  }

  async execute({ build, actor, options }: ExecuteCaseCommand): Promise<CommandResult> {
    let type = '';
    const result = await handleCaseCommand(this.store, (context) => {
      const command = build(context);
      type = command.type;
      return command;
    }, actor, options, this.settings);
    if (!result.replayed) this.metrics.appends.inc({ command: type });
    return result;
  }
}

@CommandHandler(ReceiveReferralCommand)
export class ReceiveReferralHandler implements ICommandHandler<ReceiveReferralCommand> {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly metrics: MetricsService,
    private readonly keys: PersonalDataKeys,
  ) {}

  private get settings(): HandlerSettings {
    return { ...defaultHandlerSettings, keys: this.keys };
  }

  async execute({ input, actor, options }: ReceiveReferralCommand): Promise<CommandResult> {
    const result = await receiveReferral(this.store, input, actor, options, this.settings);
    if (!result.replayed) this.metrics.appends.inc({ command: 'ReceiveReferral' });
    return result;
  }
}
