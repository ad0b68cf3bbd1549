import { isProductionEnv, type Settings } from '@wih/runtime';
import { isIP } from 'node:net';

/**
 * The development sign-in hands out tokens to anyone who asks: it exists only for a newcomer's
 * `npm start`, i.e. where the API verifies HS256 tokens with the secret it generated itself. An
 * operator who sets AUTH_JWT_SECRET or an issuer, or production (`production`, `prod`, any case),
 * turns it off. Both the settings and the live environment are checked, so a process started with
 * NODE_ENV=production cannot have it, whatever else is configured.
 */
export function devSignInEnabled(settings: Settings, env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    !settings.production &&
    !isProductionEnv(env.NODE_ENV) &&
    !settings.oidc &&
    !env.AUTH_OIDC_ISSUER &&
    settings.jwtSecret === undefined &&
    !env.AUTH_JWT_SECRET
  );
}

/**
 * Whether a connection comes from this machine: 127.0.0.0/8, ::1 or an IPv4-mapped 127.x. Only the
 * socket's own remote address counts; headers such as X-Forwarded-For are the client's word.
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) return isIP(v4) === 4 && v4.startsWith('127.');
  return address === '::1';
}
