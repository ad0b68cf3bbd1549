import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { erasePersonalData, PersonalDataKeys } from '@wih/application';
import { notFound } from '@wih/domain';
import type { EventStore } from '@wih/event-store';
import { CurrentUser, Roles, type AuthenticatedUser } from '../auth/roles';
import { canonicalId } from '../http/validation';
import { InjectEventStore } from '../store/event-store.provider';
import { ReadStoreScrub } from './read-store-scrub';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Erasure of a household's personal data (DOMAIN.md "Personal data"): admins only, never case content. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/households')
export class HouseholdsController {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly keys: PersonalDataKeys,
    private readonly scrub: ReadStoreScrub,
  ) {}

  @Delete(':householdId/personal-data')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'erased (again: nothing new is appended); the read models follow through the projections' })
  async erase(@Param('householdId') householdId: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    // Household ids are UUIDs: anything else names no household (and never reaches the stores).
    if (!UUID.test(householdId)) throw notFound('household-not-found', 'no household has this id');
    await erasePersonalData(this.store, this.keys, canonicalId(householdId), { userId: user.userId, role: user.role });
    // The read store's files lose their old copies once the projections applied the erasure.
    void this.scrub.afterErasure();
  }
}
