import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { createVerifier } from '../auth/verifier.provider';
import { buildDocument } from '../http/openapi/document';
import { JSON_TYPES } from '../http/json-body';
import { securityHeaders } from '../http/security-headers';
import { validationPipe } from '../http/validation';
import { serveWebUi } from '../web-ui/static';
import { AppModule } from './app.module';
import { internalGate } from './internal-listener';
import type { Settings } from '@wih/runtime';

export const BODY_LIMIT = '64kb';

export interface AppOptions {
  /** The built web UI to serve at `/` (default: next to the compiled API). */
  readonly webDir?: string;
  /** Where the logs go instead of standard output (the HTTP tests read them; production never sets it). */
  readonly logDestination?: DestinationStream;
  /** Another evaluation worker script (tests: the built one, or a stand-in); default: the compiled one, if any. */
  readonly evaluationWorker?: string;
}

/** Builds the configured application (used by main.ts and by the HTTP tests). */
export async function createApp(
  settings: Settings,
  options: AppOptions = {},
): Promise<{ app: INestApplication; secretGenerated: boolean; webUi: boolean }> {
  const { verifier, secretGenerated, secret } = createVerifier(settings);
  const module = AppModule.forRoot(settings, verifier, {
    devSecret: secret,
    logDestination: options.logDestination,
    evaluationWorker: options.evaluationWorker,
  });
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // Security headers first, so every answer has them (also body-parser refusals, docs, static files).
  app.use(securityHeaders(settings.oidc ? [new URL(settings.oidc.issuer).origin] : []));
  // Metrics and docs only on the internal listener when there is one (internal-listener.ts).
  app.use(internalGate(settings));
  // JSON only, at most 64 KiB: larger bodies are 413, malformed JSON 400 (ProblemFilter), other media types 415 (JsonBodyInterceptor).
  app.useBodyParser('json', { limit: BODY_LIMIT, strict: true, type: JSON_TYPES });
  app.useGlobalPipes(validationPipe());
  app.set('x-powered-by', false);
  app.enableShutdownHooks();
  // No automatic ETag (a weak hash of the body): every ETag sent is a revision If-Match accepts (decision 0031).
  app.set('etag', false);
  const document = buildDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });
  // The web UI at / (when built): registered before Nest's routes, it leaves the API paths alone.
  const webUi = serveWebUi(app, options.webDir);
  return { app, secretGenerated, webUi };
}
