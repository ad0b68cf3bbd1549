import { Command } from '@nestjs/cqrs';
import type { Actor, CommandOptions, CommandResult, ExistingCaseCommand, ReferralInput } from '@wih/application';
import type { CommandContext } from '@wih/domain';

/** Any command on an existing case: one message type, one generic handler. */
export class ExecuteCaseCommand extends Command<CommandResult> {
  constructor(
    readonly build: (context: CommandContext) => ExistingCaseCommand,
    readonly actor: Actor,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** A referral writes two streams (household reservation, then the case), so it has its own handler. */
export class ReceiveReferralCommand extends Command<CommandResult> {
  constructor(
    readonly input: ReferralInput,
    readonly actor: Actor,
    readonly options: CommandOptions,
  ) {
    super();
  }
}
