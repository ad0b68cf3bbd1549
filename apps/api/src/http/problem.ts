import { HttpStatus } from '@nestjs/common';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** RFC 9457 problem details with the stable `code` of API.md. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly FieldProblem[];
  /** 422 `personal-data-in-text`: the passages of the writer's own text that name a household (decision 0025). */
  readonly matches?: readonly string[];
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  412: 'Revision is stale',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

export const problem = (status: number, code: string, detail: string, errors?: readonly FieldProblem[]): Problem => ({
  type: `/problems/${code}`,
  title: TITLES[status] ?? HttpStatus[status] ?? 'Error',
  status,
  detail,
  code,
  ...(errors?.length ? { errors } : {}),
});

/** Raised by the validation pipe; carries the field problems. */
export class ValidationProblem extends Error {
  constructor(
    readonly errors: readonly FieldProblem[],
    detail = 'the request has invalid fields',
  ) {
    super(detail);
  }
}

/** An error whose answer says when to try again (429, 503): the `Retry-After` header, whole seconds. */
export const retryAfterOf = (error: unknown): number | undefined => {
  const seconds = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : undefined;
};
