import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCaseCommand, receiveReferral, type CommandResult } from '@wih/application';
import type { EventStore } from '@wih/event-store';
import { InjectEventStore } from '../store/event-store.provider';
import { ExecuteCaseCommand, ReceiveReferralCommand } from './commands';

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<ExecuteCaseCommand> {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  execute({ build, actor, options }: ExecuteCaseCommand): Promise<CommandResult> {
    return handleCaseCommand(this.store, build, actor, options);
  }
}

@CommandHandler(ReceiveReferralCommand)
export class ReceiveReferralHandler implements ICommandHandler<ReceiveReferralCommand> {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  execute({ input, actor, options }: ReceiveReferralCommand): Promise<CommandResult> {
    return receiveReferral(this.store, input, actor, options);
  }
}
