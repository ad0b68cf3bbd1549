import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { AccessLog } from '@wih/access-log';
import { openAccessLog, type Settings } from '@wih/runtime';
import { AccessAudit } from './access-audit';
import { ACCESS_LOG } from './access-log.token';
import { AccessLogController } from './access-log.controller';

@Injectable()
class AccessLogLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ACCESS_LOG) private readonly log: AccessLog) {}

  async onApplicationShutdown(): Promise<void> {
    await this.log.close();
  }
}

/** The access log (docs/access-log.md): the store, the audit the queries write through, the admin export. */
@Module({})
export class AccessLogModule {
  static forRoot(settings: Settings): DynamicModule {
    return {
      module: AccessLogModule,
      controllers: [AccessLogController],
      providers: [
        { provide: ACCESS_LOG, useFactory: () => openAccessLog(settings, { checkpoints: 'background' }) },
        AccessLogLifecycle,
        AccessAudit,
      ],
      exports: [AccessAudit, ACCESS_LOG],
    };
  }
}
