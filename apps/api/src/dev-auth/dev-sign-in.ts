import type { Settings } from '@wih/runtime';

/**
 * The development sign-in hands out tokens to anyone who asks: it exists only where the API
 * verifies HS256 tokens with its own local secret (no identity provider) and never in
 * production. Both the settings and the live environment are checked, so a process started with
 * NODE_ENV=production cannot have it, whatever else is configured.
 */
export function devSignInEnabled(settings: Settings, env: NodeJS.ProcessEnv = process.env): boolean {
  return !settings.production && env.NODE_ENV !== 'production' && !settings.oidc;
}
