import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { AccessLog } from '@wih/access-log';
import type { EventStore } from '@wih/event-store';
import { Public } from '../auth/roles';
import type { ReadStore } from '@wih/read-store';
import { InjectAccessLog } from '../access-log/access-log.token';
import { InjectEventStore } from '../store/event-store.provider';
import { InjectReadStore } from '../store/read-store.provider';
import { KEY_STORE } from '../store/key-store.provider';
import type { KeyStore } from '@wih/key-store';

/** 200 when the stores answer, 503 otherwise (terminus formats both). */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @InjectEventStore() private readonly store: EventStore,
    @InjectReadStore() private readonly reads: ReadStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @InjectAccessLog() private readonly accessLog: AccessLog,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    const probe = (name: string, ping: () => Promise<boolean>) => async (): Promise<HealthIndicatorResult> =>
      ({ [name]: { status: (await ping()) ? 'up' : 'down' } });
    return this.health.check([
      probe('eventStore', () => this.store.ping()), probe('readStore', () => this.reads.ping()),
      probe('keyStore', () => this.keys.ping()), probe('accessLog', () => this.accessLog.ping()),
    ]);
  }
}
