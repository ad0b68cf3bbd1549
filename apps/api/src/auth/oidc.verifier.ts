import { Logger } from '@nestjs/common';
import type { OidcSettings } from '@wih/runtime';
import { createRemoteJWKSet, jwtVerify, type JWTHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { rejectionOf, TokenRejectedError, toVerifiedToken, type TokenVerifier, type VerifiedToken } from './token-verifier';

export interface OidcVerifierOptions {
  /** After a failed discovery, requests fail at once for this long instead of each asking again. */
  readonly discoveryRetryMs?: number;
  /** Least time between two JWKS fetches caused by an unknown `kid` (jose's cooldown). */
  readonly jwksCooldownMs?: number;
  /** How long a fetched key set is used before it is fetched again. */
  readonly jwksMaxAgeMs?: number;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Signature algorithms of the issuers' keys we accept; never HS* (a public key must not become a shared secret). */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'];
/** Clocks of the issuer and the API may differ a little. */
export const CLOCK_TOLERANCE_S = 30;

/**
 * Production: access tokens of an OIDC issuer. The JWKS location comes from the issuer's discovery
 * document, fetched on the first request (not at start, so an issuer that is down does not keep
 * the API from starting); jose's remote key set caches the keys and fetches them again for an
 * unknown `kid` (key rotation), at most once per cooldown.
 */
export class OidcVerifier implements TokenVerifier {
  private keys?: Promise<JWTVerifyGetKey>;
  private failedAt = Number.NEGATIVE_INFINITY;
  private readonly logger = new Logger('OidcVerifier');

  constructor(
    private readonly settings: OidcSettings,
    private readonly options: OidcVerifierOptions = {},
  ) {}

  async verify(token: string): Promise<VerifiedToken> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, await this.keySet(), {
        algorithms: OIDC_ALGORITHMS,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp'],
      });
      if (!isAccessToken(protectedHeader, payload)) throw new TokenRejectedError('invalid');
      const parties = this.settings.authorizedParties;
      if (parties && !(typeof payload.azp === 'string' && parties.includes(payload.azp))) throw new TokenRejectedError('invalid');
      return toVerifiedToken(payload, this.settings.rolesClaim);
    } catch (error) {
      throw rejectionOf(error);
    }
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      if (Date.now() - this.failedAt < (this.options.discoveryRetryMs ?? 5_000)) {
        return Promise.reject(new TokenRejectedError('verification-unavailable'));
      }
      this.keys = this.discover().catch((error: unknown) => {
        this.keys = undefined;
        this.failedAt = Date.now();
        // Names the configured URL and what went wrong, never a token.
        this.logger.warn(`OIDC discovery at ${this.settings.discoveryUrl} failed: ${messageOf(error)}`);
        throw error;
      });
    }
    return this.keys;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    const response = await (this.options.fetch ?? fetch)(this.settings.discoveryUrl, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    if (!response.ok) throw new DiscoveryError(`the discovery document answered ${response.status}`);
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was asked for.
    if (document.issuer !== this.settings.issuer) throw new DiscoveryError('the discovery document names another issuer');
    if (typeof document.jwks_uri !== 'string' || !URL.canParse(document.jwks_uri))
      throw new DiscoveryError('the discovery document has no jwks_uri');
    return createRemoteJWKSet(new URL(document.jwks_uri), {
      cooldownDuration: this.options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: this.options.jwksMaxAgeMs ?? 10 * 60_000,
      timeoutDuration: this.options.timeoutMs ?? 5_000,
    });
  }
}

/** Header types of access tokens: none, plain JWT, or RFC 9068's `at+jwt`. */
const ACCESS_TOKEN_HEADER_TYPES = ['jwt', 'at+jwt', 'application/at+jwt'];

/**
 * An ID token (or a refresh or logout token) is signed by the same keys and often has the same
 * issuer and subject, but it is proof of a sign-in for a client, not a grant to call this API.
 * Keycloak says which in the `typ` claim ("Bearer" for access tokens, "ID", "Refresh", "Logout").
 */
function isAccessToken(header: JWTHeaderParameters, payload: JWTPayload): boolean {
  if (header.typ !== undefined && !ACCESS_TOKEN_HEADER_TYPES.includes(header.typ.toLowerCase())) return false;
  return payload.typ === undefined || (typeof payload.typ === 'string' && payload.typ.toLowerCase() === 'bearer');
}

/** fetch's errors come from another realm under test runners: no `instanceof Error`. */
const messageOf = (error: unknown): string => {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { code?: unknown } };
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return `${typeof message === 'string' ? message : 'unknown error'}${code}`;
};

export class DiscoveryError extends Error {
  override name = 'DiscoveryError';
}
