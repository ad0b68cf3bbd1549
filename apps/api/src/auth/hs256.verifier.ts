import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { rejectionOf, toVerifiedToken, type TokenVerifier, type VerifiedToken } from './token-verifier';

/**
 * The embedded default: HS256 tokens signed with AUTH_JWT_SECRET (or the generated development
 * secret). The secret becomes a KeyObject once, not on every request.
 */
export class Hs256Verifier implements TokenVerifier {
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  async verify(token: string): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      return toVerifiedToken(payload, 'roles');
    } catch (error) {
      throw rejectionOf(error);
    }
  }
}
