import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { answerRef } from '../http/openapi/answers';
import { ApiRoute } from '../http/openapi/problems';
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
import { ProjectionsService } from '../projections/projections.service';

/**
 * 200 when the stores answer and every projection runs somewhere (here or in another process),
 * 503 otherwise, naming what is down (terminus formats both): a read side that stopped would
 * otherwise stay unnoticed while queries answer ever older data.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @InjectEventStore() private readonly store: EventStore,
    @InjectReadStore() private readonly reads: ReadStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @InjectAccessLog() private readonly accessLog: AccessLog,
    private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @Public()
  @ApiRoute('Whether the stores answer and the read side runs', 'public')
  // Above @HealthCheck (decorators apply bottom-up), so these replace terminus's generic schemas.
  @ApiOkResponse({ description: 'every store answers and every projection runs', schema: answerRef('Health') })
  // Terminus's body, not a problem: it names what is down.
  @ApiServiceUnavailableResponse({ description: 'something is down (named in `error`)', schema: answerRef('Health') })
  @HealthCheck()
  async check(@Res({ passthrough: true }) response: Response) {
    try {
      return await this.health.check(this.indicators());
    } catch (error) {
      // Terminus's own body names what is down; the problem filter would answer a bare "unavailable".
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse();
    }
  }

  private indicators() {
    const probe = (name: string, ping: () => Promise<boolean>) => async (): Promise<HealthIndicatorResult> => ({
      [name]: { status: (await ping()) ? 'up' : 'down' },
    });
    return [
      probe('eventStore', () => this.store.ping()),
      probe('readStore', () => this.reads.ping()),
      probe('keyStore', () => this.keys.ping()),
      probe('accessLog', () => this.accessLog.ping()),
      () => this.readSide(),
    ];
  }

  private async readSide(): Promise<HealthIndicatorResult> {
    try {
      const down = await this.projections.readSideDown();
      return { projections: { status: Object.keys(down).length === 0 ? 'up' : 'down', ...down } };
    } catch (error) {
      return { projections: { status: 'down', error: error instanceof Error ? error.message : String(error) } };
    }
  }
}
