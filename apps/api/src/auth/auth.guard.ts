import { Injectable, UnauthorizedException, ForbiddenException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '@wih/domain';
import { isRole, PUBLIC_KEY, ROLES_KEY, type AuthenticatedRequest } from './roles';

/**
 * Global guard: every route needs a valid bearer token and one of the route's roles, unless it
 * is @Public(). A route without either is refused, so a forgotten decorator fails closed.
 */
const ROLE_PRECEDENCE: readonly Role[] = ['fachstelle', 'caseworker', 'evaluator', 'admin'];

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const claims = await this.verify(request.headers.authorization);
    const roles = Array.isArray(claims.roles) ? claims.roles.filter(isRole) : [];
    // A user with several allowed roles acts in the widest one (the Fachstelle may close any case),
    // whatever the order of the token's roles claim.
    const role = ROLE_PRECEDENCE.find((r) => roles.includes(r) && allowed.includes(r));
    if (!role) throw new ForbiddenException(`this needs one of the roles: ${allowed.join(', ') || 'none'}`);
    request.user = { userId: claims.sub, role, roles };
    return true;
  }

  private async verify(header: string | undefined): Promise<{ sub: string; roles?: unknown }> {
    const match = /^Bearer (\S+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedException('a bearer token is required');
    try {
      const claims = await this.jwt.verifyAsync<{ sub?: unknown; roles?: unknown }>(match[1], { algorithms: ['HS256'] });
      if (typeof claims.sub !== 'string' || claims.sub === '') throw new Error('no subject');
      return { sub: claims.sub, roles: claims.roles };
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'the token has expired' : 'the token is invalid');
    }
  }
}
