import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ROLES, type Role } from '@wih/domain';
import type { Request } from 'express';

export const ROLES_KEY = 'wih:roles';
export const PUBLIC_KEY = 'wih:public';

/** The roles that may call a route (API.md). Every route has this or @Public(): the guard refuses others. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface AuthenticatedUser {
  readonly userId: string;
  /** The role the user acts in on this route: the widest of their roles that the route allows. */
  readonly role: Role;
  readonly roles: readonly Role[];
}

export type AuthenticatedRequest = Request & { user?: AuthenticatedUser };

/** The roles that see case content (households' personal data). */
export const CASE_ROLES: readonly Role[] = ['caseworker', 'fachstelle'];

/**
 * Separation of duties: an admin exports the access log (who read which case) and erases
 * households' data; one person who also reads case content would audit themselves. So admin
 * together with a case role is refused on every route (docs/authentication.md).
 */
export const conflictingRoles = (roles: readonly string[]): boolean => roles.includes('admin') && CASE_ROLES.some((r) => roles.includes(r));

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthenticatedUser => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});
