import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { COMMAND_ROLES, notFound } from '@wih/domain';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { ErasePersonalDataCommand } from '../cases/commands';
import { ApiProblems, ApiRoute } from '../http/openapi/problems';
import { canonicalId } from '../http/validation';
import { ReadStoreScrub } from './read-store-scrub';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Erasure of a household's personal data (DOMAIN.md "Personal data"): admins only, never case content. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles(...COMMAND_ROLES.ErasePersonalData)
@Controller('api/households')
export class HouseholdsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly scrub: ReadStoreScrub,
  ) {}

  @Delete(':householdId/personal-data')
  @HttpCode(204)
  @ApiRoute(
    "Erase a household's personal data",
    COMMAND_ROLES.ErasePersonalData,
    'Never case content; the read models follow through the projections.',
  )
  @ApiParam({ name: 'householdId', format: 'uuid' })
  @ApiProblems(401, 403, 404, 429, 503)
  @ApiNoContentResponse({ description: 'erased (again: nothing new is appended); the read models follow through the projections' })
  async erase(@Param('householdId') householdId: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    // Household ids are UUIDs: anything else names no household (and never reaches the stores).
    if (!UUID.test(householdId)) throw notFound('household-not-found', 'no household has this id');
    await this.commands.execute(new ErasePersonalDataCommand(canonicalId(householdId), { userId: user.userId, role: user.role }));
    // The read store's files lose their old copies once the projections applied the erasure.
    void this.scrub.afterErasure();
  }
}
