import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination } from 'pino';
import type { Settings } from '@wih/runtime';

/**
 * Structured JSON logs without personal data: no bodies, no query strings (a name search sits in
 * `q`), no Authorization header. A request line keeps method, path, status and time.
 */
export const loggerOptions = (settings: Settings): Params => ({
  // Synchronous writes: pino's default buffers and flushes on 'exit', which a process ended by a
  // re-raised SIGTERM (Nest's graceful shutdown) never emits, so the shutdown lines were lost.
  pinoHttp: [{
    level: settings.logLevel,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers', 'res.headers'], remove: true },
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
  }, destination({ dest: 1, sync: true })],
});
