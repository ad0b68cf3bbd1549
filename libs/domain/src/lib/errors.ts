/**
 * A refused command. `code` is the stable machine-readable code of the HTTP contract; `kind`
 * decides the status (conflict 409, forbidden 403, not-found 404, invalid 400, stale 412: an
 * expected revision the aggregate keeps itself, such as a report section's).
 */
export type DomainErrorKind = 'conflict' | 'forbidden' | 'not-found' | 'invalid' | 'stale';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const notFound = (code: string, message: string) => new DomainError('not-found', code, message);
export const invalid = (code: string, message: string) => new DomainError('invalid', code, message);
export const stale = (code: string, message: string) => new DomainError('stale', code, message);
