import { Command } from '@nestjs/cqrs';
import type { ActivityInput, ActivityResult, Actor, CommandOptions } from '@wih/application';

/** An activity beyond single cases as plain data; the handler adds the context (actor, clock) on every attempt. */
export class RecordActivityCommand extends Command<ActivityResult> {
  constructor(
    readonly input: ActivityInput,
    readonly actor: Actor,
    readonly options: CommandOptions,
  ) {
    super();
  }
}
