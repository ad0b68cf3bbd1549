import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { RateLimitSettings } from '@wih/runtime';
import type { AuthenticatedRequest } from '../auth/roles';
import { SETTINGS } from '../app/tokens';

/** A user sent more requests of a class than its window allows: 429 `rate-limited` with `Retry-After`. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many requests from this user; retry later');
    this.name = 'RateLimitedError';
  }
}

export type RateLimitClass = keyof RateLimitSettings;
const RATE_LIMIT_CLASS = 'wih:rate-limit-class';

/** The limit a route counts against; without it, `api` (commands, queries, operations). */
export const RateLimited = (limitClass: RateLimitClass) => SetMetadata(RATE_LIMIT_CLASS, limitClass);

/**
 * Where the hits are counted: the throttler's in-memory storage (one API process; a shared store,
 * e.g. Redis, would implement the same interface for several).
 */
export const RATE_LIMIT_STORE = ThrottlerStorage;

/**
 * Global guard after AuthGuard: counts each authenticated request against its user's limit for
 * the route's class, in a sliding window (a refused request is not counted). Keyed by the token's
 * `sub`, so one user's burst never refuses another's; public routes (health, metrics) and requests
 * AuthGuard refused have no user and are not counted.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RATE_LIMIT_STORE) private readonly store: ThrottlerStorage,
    @Inject(SETTINGS) private readonly settings: { readonly rateLimits: RateLimitSettings },
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) return true;
    const limitClass =
      this.reflector.getAllAndOverride<RateLimitClass | undefined>(RATE_LIMIT_CLASS, [context.getHandler(), context.getClass()]) ?? 'api';
    const limit = this.settings.rateLimits[limitClass];
    if (!limit) return true;
    const record = await this.store.increment(`${limitClass}:${user.userId}`, limit.windowMs, limit.limit, 0, limitClass);
    // timeToBlockExpire: seconds until the oldest counted request leaves the window.
    if (record.isBlocked) throw new RateLimitedError(record.timeToBlockExpire);
    return true;
  }
}
