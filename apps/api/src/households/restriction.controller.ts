import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { RestrictionResult } from '@wih/application';
import { COMMAND_ROLES, notFound, RESTRICTION_REASONS, type RestrictionReason } from '@wih/domain';
import { IsIn } from 'class-validator';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { ChangeRestrictionCommand } from '../cases/commands';
import { ApiCommandProblems, ApiProblems, ApiRoute } from '../http/openapi/problems';
import { canonicalId, IsCalendarDate } from '../http/validation';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class RestrictionDto {
  @ApiProperty({ format: 'date' }) @IsCalendarDate() restrictedOn!: string;
  @ApiProperty({ enum: RESTRICTION_REASONS, description: 'the case of Art. 18(1) DSGVO' })
  @IsIn(RESTRICTION_REASONS)
  reason!: RestrictionReason;
}

export class RestrictionAnswerDto {
  @ApiProperty({ format: 'uuid' }) householdId!: string;
  @ApiProperty({ description: 'global log position of the last event written, a decimal string (for ?minPosition)' }) position!: string;
}

/** The restriction of processing (Art. 18 DSGVO, decision 0030): the Fachstelle only. */
@ApiTags('commands')
@ApiBearerAuth()
@Roles(...COMMAND_ROLES.RestrictProcessing)
@Controller('api/households')
export class RestrictionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':householdId/restriction')
  @HttpCode(200)
  @ApiRoute("Restrict the processing of a household's data (Art. 18 DSGVO)", COMMAND_ROLES.RestrictProcessing)
  @ApiCommandProblems(404)
  @ApiOkResponse({ type: RestrictionAnswerDto })
  restrict(@Param('householdId') householdId: string, @Body() body: RestrictionDto, @CurrentUser() user: AuthenticatedUser) {
    return this.run(householdId, { restrictedOn: body.restrictedOn, reason: body.reason }, user);
  }

  @Delete(':householdId/restriction')
  @HttpCode(200)
  @ApiRoute('Lift the restriction of processing', COMMAND_ROLES.LiftRestriction)
  @ApiProblems(401, 403, 404, 409, 429, 503)
  @ApiOkResponse({ type: RestrictionAnswerDto })
  lift(@Param('householdId') householdId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.run(householdId, null, user);
  }

  private async run(householdId: string, restriction: ChangeRestrictionCommand['restriction'], user: AuthenticatedUser) {
    // Household ids are UUIDs: anything else names no household (and never reaches the stores).
    if (!UUID.test(householdId)) throw notFound('household-not-found', 'no household has this id');
    const actor = { userId: user.userId, role: user.role };
    const result: RestrictionResult = await this.commands.execute(
      new ChangeRestrictionCommand(canonicalId(householdId), restriction, actor),
    );
    return { householdId: result.householdId, position: result.position.toString() };
  }
}
