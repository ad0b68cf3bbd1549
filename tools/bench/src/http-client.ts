import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@wih/application';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
  }
}

/** Bearer tokens as the API's embedded default verifies them (HS256 with the shared secret). */
const tokenFor = (secret: string, actor: Actor): string =>
  new JwtService({ secret }).sign({ sub: actor.userId, name: actor.userId, roles: [actor.role] }, { algorithm: 'HS256', expiresIn: 3600 });

/** POSTs JSON as one actor over Node's fetch (keep-alive by default); non-2xx throws HttpError. */
export class ApiClient {
  private readonly authorization: string;

  constructor(
    private readonly baseUrl: string,
    secret: string,
    actor: Actor,
  ) {
    this.authorization = `Bearer ${tokenFor(secret, actor)}`;
  }

  async post(path: string, body: string): Promise<void> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: this.authorization, 'content-type': 'application/json' },
      body,
    });
    // Read the body in full either way: an unread body keeps its connection out of the pool.
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text);
  }

  /** POSTs JSON and answers the parsed answer (a command's `{revision, position}`); non-2xx throws HttpError. */
  async postJson<T>(path: string, body: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: this.authorization, 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text);
    return JSON.parse(text) as T;
  }

  /** GETs `path` and answers the parsed body; non-2xx throws HttpError. */
  async getJson<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: this.authorization } });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text);
    return JSON.parse(text) as T;
  }

  /** GETs `path`; answers the body's length (the benchmark needs only that it arrived whole). */
  async get(path: string): Promise<number> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: this.authorization } });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text);
    return text.length;
  }
}
