import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { rejectionOf, TokenRejectedError, toVerifiedToken, type TokenVerifier, type VerifiedToken } from './token-verifier';

/**
 * The longest an HS256 token may be valid: a working day with overtime. Such a token cannot be
 * revoked (no issuer to ask), so a leaked one must stop working by the next morning.
 */
export const HS256_MAX_LIFETIME_SECONDS = 12 * 60 * 60;

/**
 * The embedded default: HS256 tokens signed with AUTH_JWT_SECRET (or the generated development
 * secret). The secret becomes a KeyObject once, not on every request. `exp` is required and at
 * most HS256_MAX_LIFETIME_SECONDS after `iat` (and after now, so leaving `iat` out gains nothing).
 */
export class Hs256Verifier implements TokenVerifier {
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  async verify(token: string): Promise<VerifiedToken> {
    try {
      const nowSeconds = Math.floor(Date.now() / 1000);
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
      const exp = payload.exp as number;
      const issuedAt = typeof payload.iat === 'number' ? Math.min(payload.iat, nowSeconds) : nowSeconds;
      if (exp - issuedAt > HS256_MAX_LIFETIME_SECONDS || exp - nowSeconds > HS256_MAX_LIFETIME_SECONDS)
        throw new TokenRejectedError('invalid');
      return toVerifiedToken(payload, 'roles');
    } catch (error) {
      throw rejectionOf(error);
    }
  }
}
