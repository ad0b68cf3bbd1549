import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { EventStore } from '@wih/event-store';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppOptions } from '../../src/app/create-app';
import { loadSettings } from '@wih/runtime';
import { EVENT_STORE } from '../../src/store/event-store.provider';
import { approval, daysAgo, referral } from './fixtures';

/**
 * A stand-in for the web UI's build (index page, Vite manifest, one hashed asset, and its source
 * map when `sourceMap`), in a temp directory the caller removes; WEB_DIR points the API at it.
 */
export function fakeWebBuild(options: { sourceMap?: boolean } = {}): string {
  const webDir = mkdtempSync(join(tmpdir(), 'wih-web-'));
  mkdirSync(join(webDir, '.vite'));
  mkdirSync(join(webDir, 'assets'));
  writeFileSync(join(webDir, '.vite', 'manifest.json'), '{}');
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>UI</title>');
  writeFileSync(join(webDir, 'assets', 'app-1234.js'), 'console.log(1)');
  if (options.sourceMap) writeFileSync(join(webDir, 'assets', 'app-1234.js.map'), '{"sources":["src/main.tsx"]}');
  return webDir;
}

export const SECRET = 'test-secret-for-http-tests-only-0123456789';

/** The API running for real on a free port, on a temporary embedded store. */
export class TestApi {
  private constructor(
    readonly app: INestApplication,
    readonly baseUrl: string,
    readonly dataDir: string,
  ) {}

  /**
   * `env` adds or overrides settings; with AUTH_OIDC_ISSUER the API verifies that issuer's tokens
   * instead of HS256; `AUTH_JWT_SECRET: ''` lets it generate its own (the development sign-in).
   * Logs are off unless `env.LOG_LEVEL` says otherwise; `options.logDestination` receives them
   * instead of standard output; `options.host` is where it listens (default loopback).
   */
  static async start(
    dataDir = mkdtempSync(join(tmpdir(), 'wih-http-')),
    env: Record<string, string> = {},
    options: AppOptions & { host?: string } = {},
  ): Promise<TestApi> {
    const auth = env.AUTH_OIDC_ISSUER ? {} : { AUTH_JWT_SECRET: SECRET };
    // The specs send many requests as one user; rate-limits.e2e.spec.ts sets the limits it tests.
    const unlimited = { RATE_LIMIT: 'off', RATE_LIMIT_EVALUATION: 'off' };
    const settings = loadSettings({ DATA_DIR: dataDir, ...auth, PORT: '0', LOG_LEVEL: 'silent', ...unlimited, ...env });
    const { app } = await createApp(settings, options);
    await app.listen(0, options.host ?? '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    return new TestApi(app, `http://127.0.0.1:${address.port}`, dataDir);
  }

  /** Sees every answer (contract.ts checks them against the OpenAPI document). */
  onAnswer?: (method: string, path: string, answer: Answer) => void;

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
    const json = /json/.test(response.headers.get('content-type') ?? '');
    const answer = { status: response.status, headers: response.headers, text, body: text && json ? JSON.parse(text) : undefined };
    this.onAnswer?.(method, path, answer);
    return answer;
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
  /** The raw body; `body` is its JSON when the answer is JSON. */
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are inspected field by field
  readonly body: any;
}

export const token = (sub: string, roles: string[], options: { expiresIn?: number; secret?: string } = {}): string =>
  new JwtService({ secret: options.secret ?? SECRET }).sign(
    { sub, name: sub, roles },
    { algorithm: 'HS256', expiresIn: options.expiresIn ?? 3600 },
  );

export const users = {
  anna: token('anna', ['caseworker']),
  ben: token('ben', ['caseworker']),
  fachstelle: token('fs-1', ['fachstelle']),
  evaluator: token('eva', ['evaluator']),
  admin: token('adm', ['admin']),
};

// ---- scenarios and assertions shared by the HTTP specs ----

export const caseEvents = (api: TestApi, caseId: string) => api.store.readStream(`case-${caseId}`);
export const householdEvents = (api: TestApi, householdId: string) => api.store.readStream(`household-${householdId}`);

/** A new referral by `by` (anna by default); answers its caseId and householdId. */
export async function createCase(api: TestApi, overrides: Record<string, unknown> = {}, by = users.anna) {
  const answer = await api.post('/api/cases', by, referral(overrides));
  if (answer.status !== 201) throw new Error(`referral refused: ${answer.status} ${answer.text}`);
  const [received] = await caseEvents(api, answer.body.caseId);
  return { caseId: answer.body.caseId as string, householdId: (received.data as { householdId: string }).householdId };
}

/** A referred case of anna's, approved by the Fachstelle and assigned to anna. */
export async function activeCase(
  api: TestApi,
  referralOverrides: Record<string, unknown> = {},
  approvalOverrides: Record<string, unknown> = {},
) {
  const created = await createCase(api, referralOverrides);
  const approved = await api.post(`/api/cases/${created.caseId}/approval`, users.fachstelle, approval(approvalOverrides));
  if (approved.status !== 200) throw new Error(`approval refused: ${approved.status} ${approved.text}`);
  return created;
}

/** An active case closed by anna yesterday. */
export async function closedCase(api: TestApi, referralOverrides: Record<string, unknown> = {}) {
  const active = await activeCase(api, referralOverrides);
  const closed = await api.post(`/api/cases/${active.caseId}/closure`, users.anna, {
    closedOn: daysAgo(1),
    reason: 'moved_away',
    housingAtClose: 'unknown',
  });
  if (closed.status !== 200) throw new Error(`closure refused: ${closed.status} ${closed.text}`);
  return active;
}

/** RFC 9457 problem body with the contract's fields, the given status and stable code. */
export function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code,
    }),
  );
}

/**
 * Runs a request that must write nothing (a refusal, or an idempotent replay) and asserts that the
 * case stream (when given) is unchanged and the global head position did not move.
 */
export async function expectNothingWritten(api: TestApi, caseId: string | null, act: () => Promise<Answer>): Promise<Answer> {
  const before = caseId ? await caseEvents(api, caseId) : [];
  const head = await api.store.headPosition();
  const answer = await act();
  if (caseId) expect(await caseEvents(api, caseId)).toEqual(before);
  expect(await api.store.headPosition()).toBe(head);
  return answer;
}
