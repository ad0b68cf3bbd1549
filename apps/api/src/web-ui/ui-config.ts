import type { Settings } from '@wih/runtime';
import { devSignInEnabled } from '../dev-auth/dev-sign-in';

/**
 * What the web UI needs to know before anyone signs in: how to sign in. `dev` offers the
 * development sign-in, `oidc` the identity provider (authorization code with PKCE), `token` a
 * field for a bearer token (HS256 in production without an identity provider).
 */
export interface UiConfig {
  readonly auth: 'dev' | 'oidc' | 'token';
  readonly issuer: string | null;
  readonly clientId: string | null;
  readonly rolesClaim: string;
}

export const UI_CONFIG = Symbol('UI_CONFIG');

export function uiConfigOf(settings: Settings, env: NodeJS.ProcessEnv = process.env): UiConfig {
  const oidc = Boolean(settings.oidc);
  return {
    auth: oidc ? 'oidc' : devSignInEnabled(settings, env) ? 'dev' : 'token',
    issuer: settings.oidc?.issuer ?? null,
    clientId: settings.oidc?.clientId ?? null,
    rolesClaim: settings.oidc?.rolesClaim ?? 'roles',
  };
}
