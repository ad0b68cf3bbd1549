// The page.evaluate() callbacks run in the browser.
/// <reference lib="dom" />
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** The repository, and where the screenshots of docs/ui.md go. */
export const root = resolve(__dirname, '../../..');
export const screenshots = join(root, 'docs/ui');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Debian's Chromium (or CHROMIUM_PATH); null when there is none. */
export function findChromium(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/**
 * Without Chromium the browser suite skips with one line, unless CI is set: then a missing
 * browser is a failure (CI installs it, see .ci/run).
 */
export function browserSuite(): typeof describe {
  if (findChromium() || process.env.CI) return describe;
  console.log('Browser tests skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH).');
  return describe.skip;
}

/** The API as the README starts it (built, `node dist/apps/api/src/main.js`) on a temporary data directory and a free port. */
export class RunningApp {
  private constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly dataDir: string,
  ) {}

  static async start(): Promise<RunningApp> {
    execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root, stdio: 'pipe' });
    const dataDir = mkdtempSync(join(tmpdir(), 'wih-web-e2e-'));
    const child = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
      cwd: root,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
    });
    let output = '';
    const port = await new Promise<number>((resolvePort, reject) => {
      const onData = (d: Buffer) => {
        output += d;
        const m = /listening on http:\/\/localhost:(\d+)/.exec(output);
        if (m) resolvePort(Number(m[1]));
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('close', (code) => reject(new Error(`API exited with ${code}: ${output}`)));
    });
    return new RunningApp(child, `http://127.0.0.1:${port}`, dataDir);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const closed = new Promise((r) => this.child.on('close', r));
      this.child.kill('SIGTERM');
      await closed;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A token from the development sign-in route (for seeding data beside the UI). */
  async token(userId: string, role: string): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, roles: [role] }),
    });
    return ((await res.json()) as { token: string }).token;
  }

  async get(path: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async post(path: string, token: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** A referral by anna, approved by the Fachstelle today for 180 days: an active case of hers. */
  async activeCaseOfAnna(
    name: string,
    household: { address?: string; children?: number } = {},
  ): Promise<{ caseId: string; householdId: string }> {
    const anna = await this.token('anna', 'caseworker');
    const fs = await this.token('fs-1', 'fachstelle');
    const created = await this.post('/api/cases', anna, {
      receivedOn: berlinToday(),
      referralSource: 'asd',
      targetGroup: 'recommitted',
      housingSituation: 'seized_flat',
      adults: 1,
      children: household.children ?? 0,
      existingAid: [],
      consentGiven: true,
      household: { name, address: household.address ?? 'Domstraße 2, 50668 Köln' },
    });
    if (created.status !== 201 && created.status !== 200) throw new Error(`referral: ${created.status}`);
    const caseId = created.body.caseId as string;
    const end = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
    const approved = await this.post(`/api/cases/${caseId}/approval`, fs, {
      approvedOn: berlinToday(),
      assignedCaseworkerId: 'anna',
      plannedEndOn: end,
    });
    if (approved.status !== 200) throw new Error(`approval: ${approved.status}`);
    return { caseId, householdId: created.body.householdId as string };
  }
}

/** Today in Cologne, as the API's business dates count it (YYYY-MM-DD). */
export const berlinToday = (): string => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date());

export async function launch(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: CI=true needs one (apt-get install chromium, or set CHROMIUM_PATH)');
  return chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=de-DE'] });
}

/**
 * Errors the pages logged: uncaught exceptions, React warnings, Content-Security-Policy violations.
 * Chromium's own line for an HTTP error answer (the 403 and 412 the tests provoke) is not one.
 */
export const pageErrors: string[] = [];

/**
 * A desktop browser by default; `options` make it another (a phone: viewport, touch, its locale).
 * Service workers are blocked unless `serviceWorkers: 'allow'`: the worker and the offline outbox
 * are offline.e2e.spec.ts's to test, and elsewhere its install in every fresh context only adds
 * requests that race the flow under test.
 */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    serviceWorkers: 'block',
    ...options,
  });
  context.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
  });
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  // CI runs this suite beside the MongoDB-protocol suites on 2 cores: a step can take far longer than on a quiet machine.
  context.setDefaultTimeout(60_000);
  return context;
}

/**
 * A browser suite's lifecycle, once for all of them: the API and UI started and a browser
 * launched before its tests (then `started`, e.g. seeding), no page error left after each test,
 * and both stopped after the last.
 */
export function appAndBrowserPerSuite(started: (app: RunningApp, browser: Browser) => void | Promise<void>): void {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await RunningApp.start();
    browser = await launch();
    await started(app, browser);
  }, 180_000);
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
}

/** A phone for newContext: 390 × 844 with touch. */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/** Signs in through the development sign-in form, as a person would. */
export async function signIn(page: Page, baseUrl: string, userId: string, roleLabel: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('Benutzerkennung').fill(userId);
  await page.getByRole('radio', { name: roleLabel }).check();
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('button', { name: 'Abmelden' }).waitFor();
}

/**
 * The screenshots of docs/ui.md: written when missing, and all of them again with
 * UPDATE_SCREENSHOTS=1 (so that an ordinary test run leaves the working tree clean).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(screenshots, `${name}.png`);
  if (existsSync(path) && process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path, fullPage: true });
}

const AXE = require.resolve('axe-core/axe.min.js');

/** axe-core on the page as it is now: WCAG 2.1 A/AA rules; serious and critical violations fail. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Evaluated, not added as a <script>: the UI's Content-Security-Policy forbids inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  expect({ screen, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({
    screen,
    violations: [],
  });
}
