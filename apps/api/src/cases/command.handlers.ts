import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCaseCommand, receiveReferral, type CommandResult } from '@wih/application';
import type { EventStore } from '@wih/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { InjectEventStore } from '../store/event-store.provider';
import { ExecuteCaseCommand, ReceiveReferralCommand } from './commands';

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<ExecuteCaseCommand> {
  constructor(@InjectEventStore() private readonly store: EventStore, private readonly metrics: MetricsService) {}

  async execute({ build, actor, options }: ExecuteCaseCommand): Promise<CommandResult> {
    let type = '';
    const result = await handleCaseCommand(this.store, (context) => {
      const command = build(context);
      type = command.type;
      return command;
    }, actor, options);
    if (!result.replayed) this.metrics.appends.inc({ command: type });
    return result;
  }
}

@CommandHandler(ReceiveReferralCommand)
export class ReceiveReferralHandler implements ICommandHandler<ReceiveReferralCommand> {
  constructor(@InjectEventStore() private readonly store: EventStore, private readonly metrics: MetricsService) {}

  async execute({ input, actor, options }: ReceiveReferralCommand): Promise<CommandResult> {
    const result = await receiveReferral(this.store, input, actor, options);
    if (!result.replayed) this.metrics.appends.inc({ command: 'ReceiveReferral' });
    return result;
  }
}
