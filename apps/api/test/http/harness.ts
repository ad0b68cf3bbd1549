import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { EventStore } from '@wih/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app/create-app';
import { loadSettings } from '../../src/app/settings';
import { EVENT_STORE } from '../../src/store/event-store.provider';

export const SECRET = 'test-secret-for-http-tests-only-0123456789';

/** The API running for real on a free port, on a temporary embedded store. */
export class TestApi {
  private constructor(readonly app: INestApplication, readonly baseUrl: string, readonly dataDir: string) {}

  static async start(dataDir = mkdtempSync(join(tmpdir(), 'wih-http-'))): Promise<TestApi> {
    const settings = loadSettings({ DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET, PORT: '0', LOG_LEVEL: 'silent' });
    const { app } = await createApp(settings);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    return new TestApi(app, `http://127.0.0.1:${address.port}`, dataDir);
  }

  get store(): EventStore {
    return this.app.get<EventStore>(EVENT_STORE);
  }

  /** Stops the app; the data directory stays (for restart tests) unless `remove`. */
  async stop(remove = true): Promise<void> {
    await this.app.close();
    if (remove) rmSync(this.dataDir, { recursive: true, force: true });
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  post(path: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('POST', path, { token, body, headers });
  }
}

export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are inspected field by field
  readonly body: any;
}

export const token = (sub: string, roles: string[], options: { expiresIn?: number; secret?: string } = {}): string =>
  new JwtService({ secret: options.secret ?? SECRET }).sign({ sub, name: sub, roles }, { algorithm: 'HS256', expiresIn: options.expiresIn ?? 3600 });

export const users = {
  anna: token('anna', ['caseworker']),
  ben: token('ben', ['caseworker']),
  fachstelle: token('fs-1', ['fachstelle']),
  evaluator: token('eva', ['evaluator']),
  admin: token('adm', ['admin']),
};
