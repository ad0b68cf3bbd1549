import { ParseUUIDPipe, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { isCalendarDate } from '@wih/domain';
import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { ValidationProblem, type FieldProblem } from './problem';

const flatten = (errors: ValidationError[], prefix = ''): FieldProblem[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });

/** Deeper than any DTO (the deepest, help-plan goals, is 3); class-transformer recurses and overflows the stack at ~10,000. */
export const MAX_DEPTH = 32;

/**
 * Keys that class-transformer never copies as own properties (`__proto__` sets the prototype;
 * names of Object.prototype's members are read as inherited), so `forbidNonWhitelisted` never
 * sees them and they would pass silently. No DTO has such a field.
 */
const isPrototypeKey = (key: string) => key === '__proto__' || key === 'prototype' || key in Object.prototype;

/**
 * Walks the raw input without recursion: refuses nesting over MAX_DEPTH before the validator
 * recurses into it (a RangeError would be a 500), and the keys above like any unknown field.
 */
export function refuseUnsafeShape(value: unknown, root: string): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  const unknown: FieldProblem[] = [];
  while (stack.length > 0) {
    const { value: node, path, depth } = stack.pop() as (typeof stack)[number];
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_DEPTH)
      throw new ValidationProblem(
        [{ field: root, message: `${root} is nested deeper than ${MAX_DEPTH} levels` }],
        'the request is nested too deeply',
      );
    for (const key of Object.keys(node)) {
      const field = path ? `${path}.${key}` : key;
      if (!Array.isArray(node) && isPrototypeKey(key)) unknown.push({ field, message: `property ${key} should not exist` });
      else stack.push({ value: (node as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  if (unknown.length > 0) throw new ValidationProblem(unknown);
}

/** Nest's ValidationPipe behind refuseUnsafeShape, for bodies and query strings. */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') refuseUnsafeShape(value, metadata.type);
    return super.transform(value, metadata);
  }
}

/** Shape validation at the edge: unknown fields are refused, types are not coerced. */
export const validationPipe = () =>
  new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });

/** A real calendar date in YYYY-MM-DD form (2025-02-30 is refused). */
export function IsCalendarDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a calendar date (YYYY-MM-DD)`, ...options },
      validator: { validate: (value: unknown) => isCalendarDate(value) },
    });
}

/**
 * Ids are compared in one canonical form, lower case (DOMAIN.md rule 5): stream names are
 * case-sensitive, so `household-ABC…` would be a second household beside `household-abc…`.
 */
export const canonicalId = (value: string): string => value.toLowerCase();

/** A body or query field holding a case or household id, lower-cased before it is validated. */
export const CanonicalId = () => Transform(({ value }) => (typeof value === 'string' ? canonicalId(value) : value));

class CanonicalUuidPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return canonicalId(await super.transform(value, metadata));
  }
}

/**
 * A path parameter that must be a UUID, answered in canonical form: 400 `validation` naming the
 * parameter in `errors` (Nest's own ParseUUIDPipe answers a bare message without the field).
 */
export const uuidParam = (field: string) =>
  new CanonicalUuidPipe({
    exceptionFactory: () => new ValidationProblem([{ field, message: `${field} must be a UUID` }], 'the path has an invalid id'),
  });
