import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/** Counts and times every request under its route template (e.g. /api/cases/:id/visits). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - end) / 1e9;
      this.metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      this.metrics.latency.observe({ method: req.method, route }, seconds);
    });
    next();
  }
}
