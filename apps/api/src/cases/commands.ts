import { Command } from '@nestjs/cqrs';
import type {
  Actor,
  CommandOptions,
  CommandResult,
  ErasureResult,
  ExistingCaseCommand,
  ReferralInput,
  RestrictionResult,
} from '@wih/application';
import type { CalendarDate, RestrictionReason } from '@wih/domain';

type WithoutContext<C> = C extends unknown ? Omit<C, 'context'> : never;

/** A command on an existing case as plain data; the handler adds the context (actor, clock) on every attempt. */
export type CaseCommandData = WithoutContext<ExistingCaseCommand>;

/** Any command on an existing case: one message type, one generic handler. */
export class ExecuteCaseCommand extends Command<CommandResult> {
  constructor(
    readonly command: CaseCommandData,
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

/** The erasure of a household's personal data: its cases, then the household stream. */
export class ErasePersonalDataCommand extends Command<ErasureResult> {
  constructor(
    readonly householdId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}

/** Restricting the processing of a household's data (`restriction` set) or lifting it (null): its cases, then the household stream. */
export class ChangeRestrictionCommand extends Command<RestrictionResult> {
  constructor(
    readonly householdId: string,
    readonly restriction: { readonly restrictedOn: CalendarDate; readonly reason: RestrictionReason } | null,
    readonly actor: Actor,
  ) {
    super();
  }
}
