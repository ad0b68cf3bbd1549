import { ROLES, type Role } from './roles';

export interface Session {
  readonly token: string;
  readonly userId: string;
  readonly name: string;
  readonly roles: readonly Role[];
  /** Milliseconds since the epoch; the session ends then. */
  readonly expiresAt: number;
}

const decodePart = (part: string): Record<string, unknown> => {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};

/** Follows a dotted claim path such as Keycloak's `realm_access.roles`. */
const claimAt = (claims: Record<string, unknown>, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), claims);

/**
 * Reads who the token is for, to choose the screens. The UI does not verify the token: the API
 * does, on every request; a forged token gets the person nothing but 401s.
 */
export function sessionFromToken(token: string, rolesClaim = 'roles'): Session | null {
  try {
    const claims = decodePart(token.split('.')[1] ?? '');
    const roles = claimAt(claims, rolesClaim);
    const sub = typeof claims.sub === 'string' ? claims.sub : null;
    if (!sub) return null;
    const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 8 * 3600_000;
    const name =
      typeof claims.name === 'string' ? claims.name : typeof claims.preferred_username === 'string' ? claims.preferred_username : sub;
    return { token, userId: sub, name, roles: Array.isArray(roles) ? ROLES.filter((r) => roles.includes(r)) : [], expiresAt: exp };
  } catch {
    return null;
  }
}
