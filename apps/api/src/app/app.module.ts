import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ReadModels } from '@wih/application';
import type { ReadStore } from '@wih/read-store';
import { AdminController } from '../admin/admin.controller';
import { AuthGuard } from '../auth/auth.guard';
import { CasesController } from '../cases/cases.controller';
import { ExecuteCaseCommandHandler, ReceiveReferralHandler } from '../cases/command.handlers';
import { EvaluationController } from '../evaluation/evaluation.controller';
import { EvaluationService } from '../evaluation/evaluation.service';
import { HealthController } from '../health/health.controller';
import { ProblemFilter } from '../http/problem.filter';
import { HttpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { DevAuthModule } from '../dev-auth/dev-auth.module';
import { devSignInEnabled } from '../dev-auth/dev-sign-in';
import { ProjectionsService } from '../projections/projections.service';
import { QueriesController } from '../queries/queries.controller';
import { eventStoreProvider, EventStoreLifecycle } from '../store/event-store.provider';
import { READ_STORE, readStoreProvider, ReadStoreLifecycle } from '../store/read-store.provider';
import { UI_CONFIG, uiConfigOf } from '../web-ui/ui-config';
import { UiConfigController } from '../web-ui/ui-config.controller';
import { loggerOptions } from './logging';
import type { Settings } from '@wih/runtime';
import { SETTINGS } from './tokens';

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }

  static forRoot(settings: Settings, jwtSecret: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
        JwtModule.register({ secret: jwtSecret, verifyOptions: { algorithms: ['HS256'] } }),
        LoggerModule.forRoot(loggerOptions(settings)),
        // The development sign-in of the web UI: not registered at all in production.
        ...(devSignInEnabled(settings) ? [DevAuthModule.register(jwtSecret)] : []),
      ],
      controllers: [CasesController, QueriesController, AdminController, EvaluationController, HealthController, MetricsController, UiConfigController],
      providers: [
        { provide: SETTINGS, useValue: settings },
        { provide: UI_CONFIG, useValue: uiConfigOf(settings) },
        eventStoreProvider,
        EventStoreLifecycle,
        readStoreProvider,
        ReadStoreLifecycle,
        { provide: ReadModels, inject: [READ_STORE], useFactory: (reads: ReadStore) => new ReadModels(reads) },
        ProjectionsService,
        MetricsService,
        EvaluationService,
        ExecuteCaseCommandHandler,
        ReceiveReferralHandler,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
