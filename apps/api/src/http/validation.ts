import { ParseUUIDPipe, ValidationPipe, type ValidationError } from '@nestjs/common';
import { isCalendarDate } from '@wih/domain';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { ValidationProblem, type FieldProblem } from './problem';

const flatten = (errors: ValidationError[], prefix = ''): FieldProblem[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });

/** Shape validation at the edge: unknown fields are refused, types are not coerced. */
export const validationPipe = () =>
  new ValidationPipe({
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
 * A path parameter that must be a UUID: 400 `validation` naming the parameter in `errors` (Nest's
 * own ParseUUIDPipe answers a bare message without the field).
 */
export const uuidParam = (field: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new ValidationProblem([{ field, message: `${field} must be a UUID` }], 'the path has an invalid id') });
