import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { defaultHandlerSettings, handleCaseCommand, PersonalDataKeys, receiveReferral, type CommandResult, type HandlerSettings } from '@wih/application';
import type { EventStore } from '@wih/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { InjectEventStore } from '../store/event-store.provider';
import { ExecuteCaseCommand, ReceiveReferralCommand } from './commands';

/** What both handlers need: the log, the appends counter, and the handler settings with the households' keys. */
abstract class CaseHandler {
  protected readonly settings: HandlerSettings;

  constructor(
    @InjectEventStore() protected readonly store: EventStore,
    protected readonly metrics: MetricsService,
    keys: PersonalDataKeys,
  ) {
    this.settings = { ...defaultHandlerSettings, keys };
  }

  /** Counts what was written; an idempotent replay wrote nothing. */
  protected counted(result: CommandResult, command: string): CommandResult {
    if (!result.replayed) this.metrics.appends.inc({ command });
    return result;
  }
}

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler extends CaseHandler implements ICommandHandler<ExecuteCaseCommand> {
  async execute({ build, actor, options }: ExecuteCaseCommand): Promise<CommandResult> {
    let type = '';
    const result = await handleCaseCommand(this.store, (context) => {
      const command = build(context);
      type = command.type;
      return command;
    }, actor, options, this.settings);
    return this.counted(result, type);
  }
}

@CommandHandler(ReceiveReferralCommand)
export class ReceiveReferralHandler extends CaseHandler implements ICommandHandler<ReceiveReferralCommand> {
  async execute({ input, actor, options }: ReceiveReferralCommand): Promise<CommandResult> {
    return this.counted(await receiveReferral(this.store, input, actor, options, this.settings), 'ReceiveReferral');
  }
}
