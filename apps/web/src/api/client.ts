import { ApiError, type Problem } from './problem';

/**
 * The one way the UI talks to the API: bearer token, JSON, problem+json as ApiError. The session
 * module installs the token source and what happens on 401 (sign in again).
 */
let tokenSource: () => string | null = () => null;
let onUnauthorized: () => void = () => undefined;

export function configureClient(options: { token: () => string | null; unauthorized: () => void }): void {
  tokenSource = options.token;
  onUnauthorized = options.unauthorized;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** The case revision the form was opened at (optimistic concurrency). */
  ifMatch?: number;
  idempotencyKey?: string;
  signal?: AbortSignal;
  accept?: string;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  const token = tokenSource();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      signal: options.signal,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
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

/** A JSON request; 204 answers undefined. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A file the API generates (report, export): fetched with the token, saved under `filename`. */
export async function download(path: string, filename: string, accept = '*/*'): Promise<void> {
  const blob = await (await send(path, { accept })).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `?a=1&b=2` of the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
