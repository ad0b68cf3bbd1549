import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Settings } from '@wih/runtime';
import { problem } from '../http/problem';
import { SETTINGS } from './tokens';

/** What only the internal listener serves when there is one: metrics and the API's description. */
const INTERNAL_PATHS = /^\/(?:metrics|api\/docs|api\/openapi\.(?:json|yaml))(?:\/|$)/;
/** Container health checks ask the main port; the internal one answers it too, for the monitoring. */
const BOTH = /^\/health\/?$/;

/** Requests that came in on the internal listener (marked by its server before Express sees them). */
const internalRequests = new WeakSet<IncomingMessage>();

const notFound = (res: Response) =>
  res
    .status(404)
    .type('application/problem+json')
    .send(JSON.stringify(problem(404, 'not-found', 'no route matches this method and path')));

/**
 * With an internal listener, the main port answers /metrics and the docs with 404 (as if they did
 * not exist), and the internal port answers nothing but those and /health: the API itself is never
 * reachable there, so binding it wider (INTERNAL_HOST) exposes no personal data.
 */
export function internalGate(settings: Settings): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!settings.internal) return next();
    const internal = internalRequests.has(req);
    if (BOTH.test(req.path)) return next();
    if (INTERNAL_PATHS.test(req.path) === internal) return next();
    return notFound(res);
  };
}

/** A second HTTP server on the same Express app, at INTERNAL_HOST:INTERNAL_PORT (docs/operations.md). */
@Injectable()
export class InternalListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly adapter: HttpAdapterHost,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  /** Where it listens (after the start), or undefined without one. */
  get address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const internal = this.settings.internal;
    if (!internal) return;
    const app = this.adapter.httpAdapter.getInstance<(req: IncomingMessage, res: unknown) => void>();
    const server = createServer((req, res) => {
      internalRequests.add(req);
      app(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(internal.port, internal.host, () => resolve());
    });
    this.server = server;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}
