import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

type MatchedRoute = { path?: unknown } | undefined;

/**
 * The route template that served the request, or 'unmatched'. Nest mounts this middleware as a
 * catch-all route (Express `all('/{*path}')`), which sets `req.route` itself: only a route matched
 * after it (a controller's handler) names the request; otherwise every 404 would count under the
 * middleware's own '/{*path}'.
 */
const routeOf = (req: Request, middlewareRoute: MatchedRoute): string => {
  const route = req.route as MatchedRoute;
  return route !== undefined && route !== middlewareRoute && typeof route.path === 'string' ? route.path : 'unmatched';
};

/** Counts and times every request under its route template (e.g. /api/cases/:id/visits). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const middlewareRoute = req.route as MatchedRoute;
    res.on('finish', () => {
      const route = routeOf(req, middlewareRoute);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      this.metrics.latency.observe({ method: req.method, route }, seconds);
    });
    next();
  }
}
