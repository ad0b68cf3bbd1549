import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { Role } from '@wih/domain';

export class FieldProblemDto {
  @ApiProperty({ description: 'the field, query parameter, path parameter or header at fault' }) field!: string;
  @ApiProperty() message!: string;
}

/** RFC 9457 problem details with the stable `code` of API.md and decision 0006; one schema for every error. */
export class ProblemDto {
  @ApiProperty({ description: 'a relative URI naming the problem type: `/problems/<code>`', example: '/problems/validation' })
  type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) status!: number;
  @ApiProperty({ description: 'what went wrong; never repeats personal data sent by the client' }) detail!: string;
  @ApiProperty({ description: 'stable, machine-readable (decision 0006)', example: 'validation' }) code!: string;
  @ApiPropertyOptional({
    type: [FieldProblemDto],
    description: 'the field problems of a 400 `validation` (and 422 `personal-data-in-text`)',
  })
  errors?: FieldProblemDto[];
  @ApiPropertyOptional({
    type: [String],
    description: "422 `personal-data-in-text` only: the passages of the writer's own text that name a household (decision 0025)",
  })
  matches?: string[];
}

/** The error statuses a route can answer, and when (API.md "Errors"). */
const WHEN: Record<number, string> = {
  400: 'invalid input (code `validation`, with `errors` naming the fields)',
  401: 'no token, a bad signature or an expired token',
  403: 'the role or the caseload does not allow it',
  // One text for every route (decision 0031): the code names what is unknown, `not-found` only a route, projection or rebuild.
  404: "unknown: a case, also one outside a caseworker's caseload (code `case-not-found`), a household (`household-not-found`), a parked document (`parked-not-found`), a projection or its rebuild (`not-found`)",
  409: 'a domain rule forbids it now',
  412: '`If-Match` names a revision that is no longer current (code `stale-revision`)',
  413: 'the body exceeds 64 KiB',
  415: 'the body is not JSON (`Content-Type: application/json`), or not in a supported charset or encoding (code `unsupported-media-type`)',
  422: 'an `Idempotency-Key` reused with another body, or content that cannot be accepted (see `code`)',
  429: 'too many requests from this user (code `rate-limited`)',
  503: 'a store does not answer, or the read model lags (see `code`); retry',
};

const RETRY_AFTER = { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } };
const HEADERS: Record<number, Record<string, { description: string; schema: object }>> = {
  401: { 'WWW-Authenticate': { description: 'RFC 6750: `Bearer`', schema: { type: 'string' } } },
  429: RETRY_AFTER,
  503: RETRY_AFTER,
};

/** Declares `application/problem+json` with the one problem schema on each status given. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ApiExtraModels(ProblemDto, FieldProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: WHEN[status] ?? 'error',
        headers: HEADERS[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );

/** Every authenticated route can answer these: no or a bad token, a role that may not, a store that does not answer. */
const AUTHENTICATED = [401, 403, 429, 503];

/** The errors of the route families: a route adds its own (e.g. 404, 409, 412) with ApiProblems. */
export const ApiQueryProblems = (...more: number[]) => ApiProblems(400, ...AUTHENTICATED, ...more);
/** A command: bad input, the body's limits, a reused Idempotency-Key; 409 for a domain rule. */
export const ApiCommandProblems = (...more: number[]) => ApiProblems(400, ...AUTHENTICATED, 409, 413, 415, 422, ...more);

/**
 * The operation's summary, with the roles that may call it in its description (the guard reads
 * `@Roles`, this only documents them: keep both on the same route).
 */
export const ApiRoute = (summary: string, roles: readonly Role[] | 'public', description?: string) =>
  ApiOperation({
    summary,
    description: [roles === 'public' ? 'Public: no token needed.' : `Roles: ${roles.join(', ')}.`, description]
      .filter(Boolean)
      .join('\n\n'),
    ...(roles === 'public' ? { security: [] } : {}),
  });
