import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AuthGuard } from '../auth/auth.guard';
import { CasesController } from '../cases/cases.controller';
import { ExecuteCaseCommandHandler, ReceiveReferralHandler } from '../cases/command.handlers';
import { HealthController } from '../health/health.controller';
import { ProblemFilter } from '../http/problem.filter';
import { eventStoreProvider, EventStoreLifecycle } from '../store/event-store.provider';
import { loggerOptions } from './logging';
import type { Settings } from './settings';
import { SETTINGS } from './tokens';

@Module({})
export class AppModule {
  static forRoot(settings: Settings, jwtSecret: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
        JwtModule.register({ secret: jwtSecret, verifyOptions: { algorithms: ['HS256'] } }),
        LoggerModule.forRoot(loggerOptions(settings)),
      ],
      controllers: [CasesController, HealthController],
      providers: [
        { provide: SETTINGS, useValue: settings },
        eventStoreProvider,
        EventStoreLifecycle,
        ExecuteCaseCommandHandler,
        ReceiveReferralHandler,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
