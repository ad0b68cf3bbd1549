import type { Role } from '@wih/domain';
import { errors, type JWTPayload } from 'jose';
import { isRole } from './roles';

/** Who a verified token speaks for: the subject and the known roles it carries. */
export interface VerifiedToken {
  readonly sub: string;
  readonly roles: readonly Role[];
}

/**
 * The port the guard verifies bearer tokens through. Two adapters: HS256 with a shared secret (the
 * embedded default, `npm run token`) and OIDC (an issuer's keys from its JWKS, production).
 */
export interface TokenVerifier {
  /** Resolves the token's subject and roles, or rejects with a TokenRejectedError. */
  verify(token: string): Promise<VerifiedToken>;
}

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

export type RejectionReason = 'expired' | 'invalid' | 'verification-unavailable';

/** A token that does not prove who is calling (401). The message never quotes the token or its claims. */
export class TokenRejectedError extends Error {
  constructor(readonly reason: RejectionReason) {
    super(
      reason === 'expired'
        ? 'the token has expired'
        : reason === 'invalid'
          ? 'the token is invalid'
          : 'the token could not be verified: the identity provider did not answer',
    );
    this.name = 'TokenRejectedError';
  }
}

/**
 * jose's specific errors say what is wrong with the token; a timeout, a bare JOSEError (the JWKS
 * answered other than 200) or a network error say that the keys could not be fetched.
 */
export function rejectionOf(error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('expired');
  const keysUnavailable =
    error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError) || error.constructor === errors.JOSEError;
  return new TokenRejectedError(keysUnavailable ? 'verification-unavailable' : 'invalid');
}

/**
 * The value at a claim path: the claim of that exact name if there is one (namespaced claims such
 * as `https://example.org/roles` contain dots), else the dotted path through nested objects
 * (`realm_access.roles`).
 */
export function claimAt(payload: JWTPayload, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Subject and roles of a verified payload; roles the application does not know are ignored. */
export function toVerifiedToken(payload: JWTPayload, rolesClaim: string): VerifiedToken {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new TokenRejectedError('invalid');
  const roles = claimAt(payload, rolesClaim);
  return { sub: payload.sub, roles: Array.isArray(roles) ? [...new Set(roles.filter(isRole))] : [] };
}
