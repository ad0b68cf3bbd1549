import { idempotencyRecord, type CommandOptions } from '@wih/application';
import type { Request } from 'express';
import { ValidationProblem, type FieldProblem } from '../http/problem';
import type { AuthenticatedUser } from '../auth/roles';

const IF_MATCH = /^(?:W\/)?"?(\d{1,15})"?$/;
const KEY = /^[\x21-\x7e]{1,128}$/;

/** If-Match, Idempotency-Key and the correlation id: the options every command route shares. */
export function commandOptions(request: Request, user: AuthenticatedUser, body: unknown): CommandOptions {
  const ifMatch = request.header('if-match');
  const key = request.header('idempotency-key');
  const errors: FieldProblem[] = [];
  if (ifMatch !== undefined && !IF_MATCH.test(ifMatch))
    errors.push({ field: 'If-Match', message: 'If-Match must be a revision, e.g. "3"' });
  if (key !== undefined && !KEY.test(key))
    errors.push({ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1–128 visible ASCII characters' });
  if (errors.length) throw new ValidationProblem(errors, 'invalid request headers');
  return {
    expectedRevision: ifMatch === undefined ? undefined : Number(IF_MATCH.exec(ifMatch)?.[1]),
    idempotency: key === undefined ? undefined : idempotencyRecord(user.userId, key, { method: request.method, path: request.path, body }),
    // The request id: a valid X-Correlation-Id from the client, else generated (app/logging.ts).
    correlationId: correlationIdOf(request),
  };
}

const correlationIdOf = (request: Request): string | undefined => {
  const id = (request as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
};
