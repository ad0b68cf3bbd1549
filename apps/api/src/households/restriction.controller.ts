import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { RestrictionResult } from '@wih/application';
import { COMMAND_ROLES, RESTRICTION_REASONS, type RestrictionReason } from '@wih/domain';
import { IsIn } from 'class-validator';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { ChangeRestrictionCommand } from '../cases/commands';
import { ApiCommandProblems, ApiProblems, ApiRoute } from '../http/openapi/problems';
import { IsCalendarDate, uuidParam } from '../http/validation';

// A non-UUID id is 400 `validation` as on every other route (decision 0031); it never reaches the stores.
const HOUSEHOLD_ID = uuidParam('householdId');

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
  @ApiParam({ name: 'householdId', format: 'uuid' })
  @ApiCommandProblems(404)
  @ApiOkResponse({ type: RestrictionAnswerDto })
  restrict(@Param('householdId', HOUSEHOLD_ID) householdId: string, @Body() body: RestrictionDto, @CurrentUser() user: AuthenticatedUser) {
    return this.run(householdId, { restrictedOn: body.restrictedOn, reason: body.reason }, user);
  }

  @Delete(':householdId/restriction')
  @HttpCode(200)
  @ApiRoute('Lift the restriction of processing', COMMAND_ROLES.LiftRestriction)
  @ApiParam({ name: 'householdId', format: 'uuid' })
  @ApiProblems(400, 401, 403, 404, 409, 429, 503)
  @ApiOkResponse({ type: RestrictionAnswerDto })
  lift(@Param('householdId', HOUSEHOLD_ID) householdId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.run(householdId, null, user);
  }

  private async run(householdId: string, restriction: ChangeRestrictionCommand['restriction'], user: AuthenticatedUser) {
    const actor = { userId: user.userId, role: user.role };
    const result: RestrictionResult = await this.commands.execute(new ChangeRestrictionCommand(householdId, restriction, actor));
    return { householdId: result.householdId, position: result.position.toString() };
  }
}
