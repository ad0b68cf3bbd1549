import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { COMMAND_ROLES } from '@wih/domain';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { ErasePersonalDataCommand } from '../cases/commands';
import { ApiProblems, ApiRoute } from '../http/openapi/problems';
import { uuidParam } from '../http/validation';
import { ReadStoreScrub } from './read-store-scrub';

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
  // A non-UUID id is 400 `validation` as on every other route (decision 0031); it never reaches the stores.
  @ApiParam({ name: 'householdId', format: 'uuid' })
  @ApiProblems(400, 401, 403, 404, 429, 503)
  @ApiNoContentResponse({ description: 'erased (again: nothing new is appended); the read models follow through the projections' })
  async erase(@Param('householdId', uuidParam('householdId')) householdId: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.commands.execute(new ErasePersonalDataCommand(householdId, { userId: user.userId, role: user.role }));
    // The read store's files lose their old copies once the projections applied the erasure.
    void this.scrub.afterErasure();
  }
}
