import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import {
  IdempotencyKeyReusedError,
  InvalidCursorError,
  PersonalDataInTextError,
  ProjectionLaggingError,
  RetriesExhaustedError,
  StaleRevisionError,
} from '@wih/application';
import { DomainError } from '@wih/domain';
import { DisclosureRiskError } from '@wih/evaluation';
import { AccessLogUnavailableError } from '@wih/access-log';
import { ConcurrencyError, StoreUnavailableError } from '@wih/event-store';
import { KeyStoreUnavailableError } from '@wih/key-store';
import { ReadStoreUnavailableError } from '@wih/read-store';
import type { Request, Response } from 'express';
import { EvaluationBusyError } from '../evaluation/evaluation-gate';
import { RateLimitedError } from './rate-limit';
import { problem, retryAfterOf, ValidationProblem, type Problem } from './problem';

const DOMAIN_STATUS = { conflict: 409, forbidden: 403, 'not-found': 404, invalid: 400, stale: 412 } as const;
const HTTP_CODES: Record<number, string> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  503: 'unavailable',
};

/**
 * body-parser's errors (http-errors) carry a 4xx `status` and mostly a `type`; they reach this
 * filter before any route. A body that does not decode (a wrong Content-Encoding) has no `type`.
 */
interface BodyParserError {
  type?: string;
  status: number;
  message: string;
}
const isBodyParserError = (e: unknown): e is BodyParserError => {
  const status = e instanceof Error ? (e as { status?: unknown }).status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
};

const NOT_JSON = 'the body is not well-formed JSON';
const UNREADABLE = 'the body could not be read (is its Content-Encoding right?)';

/**
 * Nest turns body-parser's SyntaxError (malformed JSON) and express's URIError (bad percent-encoding
 * in the path) into a bare 400 whose message quotes the input: JSON.parse's message carries a
 * snippet of the body, i.e. possibly personal data. Such an answer never repeats that message. Every
 * 400 of our own is a ValidationProblem, so a bare 400 comes from one of those two.
 */
function malformedRequest(request: Request | undefined): Problem {
  const hasBody = Number(request?.headers['content-length'] ?? 0) > 0 || request?.headers['transfer-encoding'] !== undefined;
  if (request && hasBody && request.body === undefined) return problem(400, 'validation', NOT_JSON, [{ field: 'body', message: NOT_JSON }]);
  return problem(400, 'validation', 'the request is malformed');
}

/** The one place where errors become HTTP answers (application/problem+json). */
export function toProblem(error: unknown, request?: Request): Problem | null {
  if (error instanceof ValidationProblem) return problem(400, 'validation', error.message, error.errors);
  if (error instanceof DomainError) return problem(DOMAIN_STATUS[error.kind], error.code, error.message);
  if (error instanceof StaleRevisionError) return problem(412, 'stale-revision', error.message);
  if (error instanceof IdempotencyKeyReusedError) return problem(422, 'idempotency-key-reused', error.message);
  if (error instanceof RetriesExhaustedError)
    return problem(503, 'concurrency-retries-exhausted', 'too many concurrent changes to this case; retry');
  if (error instanceof StoreUnavailableError) return problem(503, 'store-unavailable', error.message);
  if (error instanceof ReadStoreUnavailableError) return problem(503, 'store-unavailable', error.message);
  if (error instanceof KeyStoreUnavailableError) return problem(503, 'store-unavailable', error.message);
  if (error instanceof AccessLogUnavailableError)
    return problem(503, 'access-log-unavailable', 'the read could not be recorded in the access log; retry later');
  if (error instanceof ProjectionLaggingError) return problem(503, 'projection-lagging', error.message);
  if (error instanceof EvaluationBusyError) return problem(503, 'evaluation-busy', error.message);
  // The answer could not be protected (DOMAIN.md: then it does not go out). Names figures, never values.
  if (error instanceof DisclosureRiskError)
    return problem(422, 'not-publishable', 'these figures cannot be published without disclosing small counts; ask for a longer period');
  // The writer's own passages go back to the writer only: in this answer, never in a log line (decision 0025).
  if (error instanceof PersonalDataInTextError)
    return {
      ...problem(422, 'personal-data-in-text', error.message, [
        { field: 'text', message: 'the text names a household (a name or an address)' },
      ]),
      matches: error.matches,
    };
  if (error instanceof RateLimitedError) return problem(429, 'rate-limited', error.message);
  if (error instanceof InvalidCursorError) return problem(400, 'validation', error.message, [{ field: 'cursor', message: error.message }]);
  if (error instanceof ConcurrencyError) return problem(409, 'concurrent-modification', 'the case changed meanwhile; retry');
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 400) return malformedRequest(request);
    // Nest's answer to an unknown route quotes the path ("Cannot GET /api/…"): client input, not repeated.
    if (status === 404 && /^Cannot [A-Z]+ /.test(error.message)) return problem(404, 'not-found', 'no route matches this method and path');
    return problem(status, HTTP_CODES[status] ?? `http-${status}`, error.message);
  }
  if (isBodyParserError(error)) {
    if (error.type === 'entity.parse.failed') return problem(400, 'validation', NOT_JSON, [{ field: 'body', message: NOT_JSON }]);
    if (error.type === 'entity.too.large') return problem(413, 'payload-too-large', 'the body exceeds 64 KiB');
    // 415 names the unsupported charset or encoding (a header value); other messages may come from zlib.
    if (error.status === 415) return problem(415, 'unsupported-media-type', error.message);
    if (error.status === 400) return problem(400, 'validation', UNREADABLE, [{ field: 'body', message: UNREADABLE }]);
    return problem(error.status, HTTP_CODES[error.status] ?? `http-${error.status}`, 'the request body could not be read');
  }
  return null;
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let body = toProblem(error, host.switchToHttp().getRequest<Request>());
    if (!body) {
      // Only the error's class and call sites: the message (the stack's first line) of an unknown
      // error is not vetted for personal data.
      const frames = (error as Error)?.stack
        ?.split('\n')
        .filter((line) => line.trimStart().startsWith('at '))
        .join('\n');
      this.logger.error({ err: { name: (error as Error)?.name, frames } }, 'unhandled error');
      body = problem(500, 'internal', 'an unexpected error occurred');
    }
    if (body.status === 401) response.setHeader('WWW-Authenticate', 'Bearer'); // RFC 6750
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter)); // RFC 9110 §10.2.3, in seconds
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }
}
