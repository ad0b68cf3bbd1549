import type { Provider } from '@nestjs/common';
import type { Settings } from '@wih/runtime';
import { Hs256Verifier } from './hs256.verifier';
import { OidcVerifier } from './oidc.verifier';
import { resolveJwtSecret } from './secret';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier';

/**
 * The verifier the settings ask for: OIDC when AUTH_OIDC_ISSUER is set, else HS256 with
 * AUTH_JWT_SECRET or the development secret generated into DATA_DIR (`generated` says so).
 */
export function createVerifier(settings: Settings): { verifier: TokenVerifier; secretGenerated: boolean; secret?: string } {
  if (settings.oidc) return { verifier: new OidcVerifier(settings.oidc), secretGenerated: false };
  const { secret, generated } = resolveJwtSecret(settings.dataDir, settings.jwtSecret);
  return { verifier: new Hs256Verifier(secret), secretGenerated: generated, secret };
}

export const verifierProvider = (verifier: TokenVerifier): Provider => ({ provide: TOKEN_VERIFIER, useValue: verifier });
