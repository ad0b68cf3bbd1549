import { PATH_METADATA } from '@nestjs/common/constants';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination, type DestinationStream } from 'pino';
import type { Settings } from '@wih/runtime';

export interface LoggerOutput {
  /** Where the lines go instead of standard output (the HTTP tests capture them to inspect them). */
  readonly destination?: DestinationStream;
  /** The literal path segments of the API's routes (routeWordsOf): the only words a logged path keeps. */
  readonly routeWords?: ReadonlySet<string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The documentation's own paths (served by Swagger, not by a controller). */
const DOC_WORDS = ['docs', 'openapi.json', 'openapi.yaml'];

/** Every literal segment of the controllers' paths (`cases`, `timeline`, …), read from Nest's route metadata. */
export function routeWordsOf(controllers: readonly (new (...args: never[]) => unknown)[]): Set<string> {
  const words = new Set(DOC_WORDS);
  const add = (path: unknown) =>
    [path].flat().forEach((p) => typeof p === 'string' && p.split('/').forEach((w) => w && !w.startsWith(':') && words.add(w)));
  for (const controller of controllers) {
    add(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler === 'function') add(Reflect.getMetadata(PATH_METADATA, handler));
    }
  }
  return words;
}

/**
 * The request path as logged: route words, ids (UUIDs) and numbers are kept, any other segment
 * becomes `*`. A path is client input: a name put where an id belongs must not reach the log.
 */
export const loggedPath = (url: string, words: ReadonlySet<string>): string =>
  url
    .split('?')[0]
    .split('/')
    .map((segment) => (segment === '' || words.has(segment) || UUID.test(segment) || /^\d{1,9}$/.test(segment) ? segment : '*'))
    .join('/');

/**
 * Structured JSON logs without personal data: no bodies, no query strings (a name search sits in
 * `q`), no Authorization header, no path segment that is not the API's own. A request line keeps
 * method, path, status and time.
 */
export const loggerOptions = (settings: Settings, output: LoggerOutput = {}): Params => {
  const words = output.routeWords ?? new Set<string>();
  const options = {
    level: settings.logLevel,
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: loggedPath(req.url, words) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers', 'res.headers'], remove: true },
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
  };
  // Synchronous writes by default: pino's default stdout stream buffers and writes asynchronously,
  // so the last lines before a signal ends the process (Nest re-raises SIGTERM after its shutdown
  // hooks: "event store closed") could be lost. One write(2) per line costs little.
  return { pinoHttp: [options, output.destination ?? destination({ dest: 1, sync: true })] };
};
