import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { EventStore } from '@wih/event-store';
import { Public } from '../auth/roles';
import { InjectEventStore } from '../store/event-store.provider';

/** 200 when the stores answer, 503 otherwise (terminus formats both). */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthCheckService, @InjectEventStore() private readonly store: EventStore) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([async (): Promise<HealthIndicatorResult> => ({ eventStore: { status: (await this.store.ping()) ? 'up' : 'down' } })]);
  }
}
