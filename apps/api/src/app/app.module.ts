import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ReadModels } from '@wih/application';
import type { ReadStore } from '@wih/read-store';
import { AccessLogController } from '../access-log/access-log.controller';
import { AccessLogModule } from '../access-log/access-log.module';
import { AdminController } from '../admin/admin.controller';
import { AuthGuard } from '../auth/auth.guard';
import type { TokenVerifier } from '../auth/token-verifier';
import { verifierProvider } from '../auth/verifier.provider';
import { CasesController } from '../cases/cases.controller';
import { ExecuteCaseCommandHandler, ReceiveReferralHandler } from '../cases/command.handlers';
import { EvaluationController } from '../evaluation/evaluation.controller';
import { EvaluationService } from '../evaluation/evaluation.service';
import { HealthController } from '../health/health.controller';
import { HouseholdsController } from '../households/households.controller';
import { ReadStoreScrub } from '../households/read-store-scrub';
import { RetentionService } from '../retention/retention.service';
import { KeyStoreLifecycle, keyStoreProvider, personalDataKeysProvider } from '../store/key-store.provider';
import { ProblemFilter } from '../http/problem.filter';
import { HttpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { ProjectionsService } from '../projections/projections.service';
import { QueriesController } from '../queries/queries.controller';
import { eventStoreProvider, EventStoreLifecycle } from '../store/event-store.provider';
import { READ_STORE, readStoreProvider, ReadStoreLifecycle } from '../store/read-store.provider';
import { loggerOptions, routeWordsOf } from './logging';
import type { Settings } from '@wih/runtime';
import { SETTINGS } from './tokens';

const CONTROLLERS = [
  CasesController, QueriesController, AdminController, HouseholdsController, EvaluationController, HealthController, MetricsController,
];
/** The words a logged request path may keep: the literal segments of every route (logging.ts). */
const ROUTE_WORDS = routeWordsOf([...CONTROLLERS, AccessLogController]);

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }

  static forRoot(settings: Settings, verifier: TokenVerifier, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        ScheduleModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
        LoggerModule.forRoot(loggerOptions(settings, { destination: logDestination, routeWords: ROUTE_WORDS })),
        AccessLogModule.forRoot(settings),
      ],
      controllers: [...CONTROLLERS],
      providers: [
        { provide: SETTINGS, useValue: settings },
        eventStoreProvider,
        EventStoreLifecycle,
        readStoreProvider,
        ReadStoreLifecycle,
        keyStoreProvider,
        personalDataKeysProvider,
        KeyStoreLifecycle,
        RetentionService,
        ReadStoreScrub,
        { provide: ReadModels, inject: [READ_STORE], useFactory: (reads: ReadStore) => new ReadModels(reads) },
        ProjectionsService,
        MetricsService,
        EvaluationService,
        ExecuteCaseCommandHandler,
        ReceiveReferralHandler,
        verifierProvider(verifier),
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
