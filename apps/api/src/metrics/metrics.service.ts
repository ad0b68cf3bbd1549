import { Injectable } from '@nestjs/common';
import type { ErasureResult, ProjectionStatus } from '@wih/application';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ProjectionsService } from '../projections/projections.service';

/**
 * Prometheus metrics (prom-client), one registry per app. Labels carry route templates, command
 * types and projection names only: never ids, names or other personal data.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly appends = new Counter({
    name: 'wih_event_appends_total',
    help: 'Commands that appended events, by command type',
    labelNames: ['command'] as const,
    registers: [this.registry],
  });

  constructor(projections: ProjectionsService) {
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, read: (s: ProjectionStatus) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['projection'] as const,
        registers: [this.registry],
        async collect() {
          for (const status of await projections.statuses()) this.set({ projection: status.name }, read(status));
        },
      });
    gauge('wih_projection_checkpoint', 'Last log position the live generation applied', (s) => Number(s.checkpoint ?? 0));
    gauge('wih_projection_head', 'Last log position of the case events', (s) => Number(s.head));
    gauge('wih_projection_lag', 'Head minus checkpoint (log positions)', (s) => Number(s.lag ?? 0));
    gauge('wih_projection_parked_events', 'Events parked because the projection failed on them', (s) => s.parked);
  }

  /** Every path that appends counts here: commands, referrals, erasures and the retention job. */
  countAppends(command: string, appends = 1): void {
    if (appends > 0) this.appends.inc({ command }, appends);
  }

  /** An erasure appends PersonalDataErased to each case it marked and to the household: one each. */
  countErasures(results: readonly ErasureResult[]): void {
    this.countAppends(
      'ErasePersonalData',
      results.reduce((sum, r) => sum + r.appended, 0),
    );
  }
}
