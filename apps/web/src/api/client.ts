import { ApiError, type Problem } from './problem';
import type { paths } from './schema';

/**
 * The one way the UI talks to the API: bearer token, JSON, problem+json as ApiError. Every call
 * names a route of the OpenAPI document (`'/api/cases/{id}'`), and the generated `paths` type its
 * path and query parameters, its body, its headers and its answer (decision 0034). The session
 * module installs the token source and what happens on 401 (sign in again).
 */
let tokenSource: () => string | null = () => null;
let onUnauthorized: () => void = () => undefined;

export function configureClient(options: { token: () => string | null; unauthorized: () => void }): void {
  tokenSource = options.token;
  onUnauthorized = options.unauthorized;
}

export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
/** The routes that have an operation for `method`. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends Record<M, { responses: unknown }> ? P : never;
}[keyof paths];
type Operation<M extends Method, P extends PathsWith<M>> = paths[P][M];
type Parameters_<O> = O extends { parameters: infer X } ? X : never;

type PathOption<O> = Parameters_<O> extends { path: infer X } ? { path: X } : { path?: never };
type QueryOption<O> =
  Parameters_<O> extends { query: infer X } ? { query: X } : Parameters_<O> extends { query?: infer X } ? { query?: X } : { query?: never };
type BodyOption<O> = O extends { requestBody?: never }
  ? { body?: never }
  : O extends { requestBody: { content: { 'application/json': infer B } } }
    ? { body: B }
    : O extends { requestBody?: { content: { 'application/json': infer B } } }
      ? { body?: B }
      : { body?: never };
type Header<O> = NonNullable<Parameters_<O> extends { header?: infer H } ? H : never>;
// `keyof never` is every key: a route without headers declares none.
type HeaderKeys<O> = [Header<O>] extends [never] ? never : keyof Header<O>;
/** `If-Match` and `Idempotency-Key` only where the route declares them. */
type HeaderOption<O> = ('If-Match' extends HeaderKeys<O> ? { ifMatch?: number } : { ifMatch?: never }) &
  ('Idempotency-Key' extends HeaderKeys<O> ? { idempotencyKey?: string } : { idempotencyKey?: never });

/** What a call passes besides method and route: typed by the route's operation. */
export type Init<M extends Method, P extends PathsWith<M>> = PathOption<Operation<M, P>> &
  QueryOption<Operation<M, P>> &
  BodyOption<Operation<M, P>> &
  HeaderOption<Operation<M, P>> & { signal?: AbortSignal };
/** The init is optional when nothing in it is required. */
export type InitArgs<M extends Method, P extends PathsWith<M>> = object extends Init<M, P> ? [init?: Init<M, P>] : [init: Init<M, P>];

type Success = 200 | 201 | 202 | 204;
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;
/** The JSON answer of a success status (undefined for 204 and for answers that are files). */
export type Answer<M extends Method, P extends PathsWith<M>> =
  Operation<M, P> extends { responses: infer R } ? { [S in keyof R & Success]: JsonOf<R[S]> }[keyof R & Success] : never;

interface Untyped {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  ifMatch?: number;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** The URL of a route: its path parameters encoded, then `?a=1&b=2` of the defined, non-empty query values. */
export function urlOf(route: string, init: Pick<Untyped, 'path' | 'query'> = {}): string {
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(init.path?.[name] ?? '')));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(init.query ?? {}))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

async function send(method: Method, url: string, init: Untyped, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { accept };
  const token = tokenSource();
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.ifMatch !== undefined) headers['if-match'] = `"${init.ifMatch}"`;
  if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(url, {
      method: method.toUpperCase(),
      headers,
      signal: init.signal,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Problem | null;
    if (response.status === 401 && token) onUnauthorized();
    throw new ApiError(response.status, problem);
  }
  return response;
}

/** A JSON request to a route of the contract; 204 answers undefined. */
export function request<M extends Method, P extends PathsWith<M>>(method: M, route: P, ...[init]: InitArgs<M, P>): Promise<Answer<M, P>> {
  return call(method, route, (init ?? {}) as Init<M, P>);
}

/** request() with the init always given, for code generic over the route (the read hook). */
export async function call<M extends Method, P extends PathsWith<M>>(method: M, route: P, init: Init<M, P>): Promise<Answer<M, P>> {
  const options = init as Untyped;
  const response = await send(method, urlOf(route, options), options);
  if (response.status === 204) return undefined as Answer<M, P>;
  return (await response.json()) as Answer<M, P>;
}

/** A file the API generates (report, export): a GET with the token, saved under `filename`. */
export async function download<P extends PathsWith<'get'>>(
  route: P,
  init: Init<'get', P>,
  filename: string,
  accept = '*/*',
): Promise<void> {
  const blob = await (await send('get', urlOf(route, init as Untyped), {}, accept)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * `POST /api/dev/token`, the development sign-in: outside the contract (the API leaves it out of
 * the OpenAPI document, it exists only on a developer's machine), so its one answer field is typed here.
 */
export async function devToken(body: { userId: string; roles: string[] }): Promise<{ token: string }> {
  return (await (await send('post', '/api/dev/token', { body })).json()) as { token: string };
}
