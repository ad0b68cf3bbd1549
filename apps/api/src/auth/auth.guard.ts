import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden, type Role } from '@wih/domain';
import { conflictingRoles, PUBLIC_KEY, ROLES_KEY, type AuthenticatedRequest } from './roles';
import { rejectionOf, TOKEN_VERIFIER, type TokenVerifier, type VerifiedToken } from './token-verifier';

/**
 * Global guard: every route needs a valid bearer token and one of the route's roles, unless it
 * is @Public(). A route without either is refused, so a forgotten decorator fails closed.
 */
const ROLE_PRECEDENCE: readonly Role[] = ['fachstelle', 'caseworker', 'evaluator', 'admin'];

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { sub, roles } = await this.verify(request.headers.authorization);
    if (conflictingRoles(roles)) {
      throw forbidden('conflicting-roles', 'admin cannot be combined with caseworker or fachstelle in one token: use separate accounts');
    }
    // A user with several allowed roles acts in the widest one (the Fachstelle may close any case),
    // whatever the order of the token's roles claim.
    const role = ROLE_PRECEDENCE.find((r) => roles.includes(r) && allowed.includes(r));
    if (!role) throw new ForbiddenException(`this needs one of the roles: ${allowed.join(', ') || 'none'}`);
    request.user = { userId: sub, role, roles };
    return true;
  }

  private async verify(header: string | undefined): Promise<VerifiedToken> {
    const match = /^Bearer (\S+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedException('a bearer token is required');
    try {
      return await this.verifier.verify(match[1]);
    } catch (error) {
      throw new UnauthorizedException(rejectionOf(error).message);
    }
  }
}
