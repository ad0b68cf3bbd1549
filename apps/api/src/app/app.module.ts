import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ReadModels } from '@wih/application';
import type { EventStore } from '@wih/event-store';
import type { ReadStore } from '@wih/read-store';
import { AccessLogController } from '../access-log/access-log.controller';
import { ActivitiesController } from '../activities/activities.controller';
import { RecordActivityHandler } from '../activities/command.handlers';
import { AccessLogModule } from '../access-log/access-log.module';
import { AdminController } from '../admin/admin.controller';
import { AgendaController } from '../agenda/agenda.controller';
import { AnnualReportController } from '../annual-report/annual-report.controller';
import { AnnualReportService } from '../annual-report/annual-report.service';
import { AuthGuard } from '../auth/auth.guard';
import type { TokenVerifier } from '../auth/token-verifier';
import { verifierProvider } from '../auth/verifier.provider';
import { CasesController } from '../cases/cases.controller';
import {
  ChangeRestrictionHandler,
  ErasePersonalDataHandler,
  ExecuteCaseCommandHandler,
  ReceiveReferralHandler,
} from '../cases/command.handlers';
import { EvaluationController } from '../evaluation/evaluation.controller';
import { EVALUATION_WORKER_SCRIPT, EvaluationService } from '../evaluation/evaluation.service';
import { HealthController } from '../health/health.controller';
import { HouseholdsController } from '../households/households.controller';
import { RestrictionController } from '../households/restriction.controller';
import { AccessReportController } from '../households/access-report.controller';
import { ReadStoreScrub } from '../households/read-store-scrub';
import { RetentionService } from '../retention/retention.service';
import { KeyStoreLifecycle, keyStoreProvider, personalDataKeysProvider } from '../store/key-store.provider';
import { ProblemFilter } from '../http/problem.filter';
import { JsonBodyInterceptor } from '../http/json-body';
import { RATE_LIMIT_STORE, RateLimitGuard } from '../http/rate-limit';
import { HttpMetricsMiddleware } from '../metrics/http-metrics.middleware';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { DevAuthModule } from '../dev-auth/dev-auth.module';
import { devSignInEnabled } from '../dev-auth/dev-sign-in';
import { DevTokenController } from '../dev-auth/dev-token.controller';
import { ProjectionsService } from '../projections/projections.service';
import { QueriesController } from '../queries/queries.controller';
import { EVENT_STORE, eventStoreProvider, EventStoreLifecycle } from '../store/event-store.provider';
import { READ_STORE, readStoreProvider, ReadStoreLifecycle } from '../store/read-store.provider';
import { UI_CONFIG, uiConfigOf } from '../web-ui/ui-config';
import { UiConfigController } from '../web-ui/ui-config.controller';
import { loggerOptions, routeWordsOf } from './logging';
import type { Settings } from '@wih/runtime';
import { SETTINGS } from './tokens';
import { InternalListener } from './internal-listener';

const CONTROLLERS = [
  CasesController,
  ActivitiesController,
  QueriesController,
  AgendaController,
  AdminController,
  HouseholdsController,
  RestrictionController,
  AccessReportController,
  EvaluationController,
  AnnualReportController,
  HealthController,
  MetricsController,
  UiConfigController,
];
/** The words a logged request path may keep: the literal segments of every route (logging.ts). */
const ROUTE_WORDS = routeWordsOf([...CONTROLLERS, AccessLogController, DevTokenController]);

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }

  /**
   * `devSecret`: the local HS256 secret, when tokens are verified with one (none with an OIDC issuer);
   * `logDestination`: where the logs go instead of standard output (tests only).
   */
  static forRoot(
    settings: Settings,
    verifier: TokenVerifier,
    options: { devSecret?: string; logDestination?: DestinationStream; evaluationWorker?: string } = {},
  ): DynamicModule {
    const { devSecret, logDestination, evaluationWorker } = options;
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        ScheduleModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
        LoggerModule.forRoot(loggerOptions(settings, { destination: logDestination, routeWords: ROUTE_WORDS })),
        AccessLogModule.forRoot(settings),
        // The development sign-in of the web UI: not registered at all in production, with an issuer or AUTH_JWT_SECRET.
        ...(devSecret !== undefined && devSignInEnabled(settings) ? [DevAuthModule.register(devSecret, settings)] : []),
      ],
      controllers: [...CONTROLLERS],
      providers: [
        { provide: SETTINGS, useValue: settings },
        InternalListener,
        { provide: UI_CONFIG, useValue: uiConfigOf(settings) },
        eventStoreProvider,
        EventStoreLifecycle,
        readStoreProvider,
        ReadStoreLifecycle,
        keyStoreProvider,
        personalDataKeysProvider,
        KeyStoreLifecycle,
        RetentionService,
        ReadStoreScrub,
        {
          provide: ReadModels,
          inject: [READ_STORE, EVENT_STORE],
          useFactory: (reads: ReadStore, events: EventStore) => new ReadModels(reads, undefined, events),
        },
        ProjectionsService,
        MetricsService,
        EvaluationService,
        AnnualReportService,
        ...(evaluationWorker ? [{ provide: EVALUATION_WORKER_SCRIPT, useValue: evaluationWorker }] : []),
        ExecuteCaseCommandHandler,
        ReceiveReferralHandler,
        ErasePersonalDataHandler,
        ChangeRestrictionHandler,
        RecordActivityHandler,
        verifierProvider(verifier),
        { provide: APP_GUARD, useClass: AuthGuard },
        // After AuthGuard (guards run in this order): it counts per authenticated user.
        { provide: RATE_LIMIT_STORE, useClass: ThrottlerStorageService },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
