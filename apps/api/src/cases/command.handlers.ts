import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  defaultHandlerSettings,
  erasePersonalData,
  handleCaseCommand,
  liftRestriction,
  PersonalDataKeys,
  receiveReferral,
  restrictProcessing,
  type CommandResult,
  type ErasureResult,
  type ExistingCaseCommand,
  type HandlerSettings,
  type RestrictionResult,
} from '@wih/application';
import type { EventStore } from '@wih/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { InjectEventStore } from '../store/event-store.provider';
import { ChangeRestrictionCommand, ErasePersonalDataCommand, ExecuteCaseCommand, ReceiveReferralCommand } from './commands';

/** What every handler needs: the log, the appends counter, and the handler settings with the households' keys. */
abstract class CaseHandler {
  protected readonly settings: HandlerSettings;

  constructor(
    @InjectEventStore() protected readonly store: EventStore,
    protected readonly metrics: MetricsService,
    protected readonly keys: PersonalDataKeys,
  ) {
    this.settings = { ...defaultHandlerSettings, keys };
  }

  /** Counts what was written; an idempotent replay wrote nothing. */
  protected counted(result: CommandResult, command: string): CommandResult {
    if (!result.replayed) this.metrics.countAppends(command);
    return result;
  }
}

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler extends CaseHandler implements ICommandHandler<ExecuteCaseCommand> {
  async execute({ command, actor, options }: ExecuteCaseCommand): Promise<CommandResult> {
    const result = await handleCaseCommand(
      this.store,
      (context) => ({ ...command, context }) as ExistingCaseCommand,
      actor,
      options,
      this.settings,
    );
    return this.counted(result, command.type);
  }
}

@CommandHandler(ReceiveReferralCommand)
export class ReceiveReferralHandler extends CaseHandler implements ICommandHandler<ReceiveReferralCommand> {
  async execute({ input, actor, options }: ReceiveReferralCommand): Promise<CommandResult> {
    return this.counted(await receiveReferral(this.store, input, actor, options, this.settings), 'ReceiveReferral');
  }
}

@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler extends CaseHandler implements ICommandHandler<ErasePersonalDataCommand> {
  async execute({ householdId, actor }: ErasePersonalDataCommand): Promise<ErasureResult> {
    const result = await erasePersonalData(this.store, this.keys, householdId, actor, {}, this.settings);
    this.metrics.countErasures([result]);
    return result;
  }
}

@CommandHandler(ChangeRestrictionCommand)
export class ChangeRestrictionHandler extends CaseHandler implements ICommandHandler<ChangeRestrictionCommand> {
  async execute({ householdId, restriction, actor }: ChangeRestrictionCommand): Promise<RestrictionResult> {
    const result = restriction
      ? await restrictProcessing(this.store, householdId, restriction, actor, this.settings)
      : await liftRestriction(this.store, householdId, actor, this.settings);
    this.metrics.countAppends(restriction ? 'RestrictProcessing' : 'LiftRestriction', result.appended);
    return result;
  }
}
