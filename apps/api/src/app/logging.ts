import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { Settings } from '@wih/runtime';
import pino from 'pino';

/**
 * Structured JSON logs without personal data: no bodies, no query strings (a name search sits in
 * `q`), no Authorization header. A request line keeps method, path, status and time.
 */
export const loggerOptions = (settings: Settings): Params => ({
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
  },
  // Synchronous writes: pino's default stdout stream buffers and writes asynchronously, so the last
  // lines before a signal ends the process (Nest re-raises SIGTERM after its shutdown hooks: "event
  // store closed") could be lost. One write(2) per line costs little at one line per request.
  pino.destination({ dest: 1, sync: true })],
});
