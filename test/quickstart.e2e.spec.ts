import { GRACEFUL_STOPS } from '@wih/application/testing';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The README's promise, as a user runs it: the built API on the embedded default, a token from
 * the CLI, a command; then a crash (SIGKILL) loses nothing acknowledged, SIGTERM shuts down
 * cleanly, and production mode without an auth configuration refuses to start.
 */
const root = resolve(__dirname, '..');
const main = join(root, 'dist/apps/api/src/main.js');
const tokenCli = join(root, 'dist/apps/api/src/cli/token.js');

let dataDir: string;
let port = 0;
let caseId = '';
const children: ChildProcess[] = [];

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root, stdio: 'pipe' });
  dataDir = mkdtempSync(join(tmpdir(), 'wih-quickstart-'));
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string> = {}): { child: ChildProcess; output: () => string; ready: Promise<number> } {
  let output = '';
  const child = spawn(process.execPath, [main], { cwd: root, env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', ...env } });
  children.push(child);
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const ready = new Promise<number>((resolveReady, reject) => {
    child.stdout?.on('data', () => {
      const m = /listening on http:\/\/localhost:(\d+)[^\n]*\n(?:.*\n)*.*npm run token/.exec(output);
      if (m) resolveReady(Number(m[1]));
    });
    child.on('close', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  return { child, output: () => output, ready };
}

/** 'close', not 'exit': only then has everything the child wrote to stdout arrived. */
const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));

const referral = {
  receivedOn: '2025-01-15',
  referralSource: 'self',
  targetGroup: 'recommitted',
  housingSituation: 'seized_flat',
  adults: 1,
  children: 0,
  existingAid: [],
  consentGiven: true,
  household: { name: 'Quickstart Haushalt', address: 'Domplatz 1' },
};

async function postReferral(token: string) {
  const res = await fetch(`http://127.0.0.1:${port}/api/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'quickstart-1' },
    body: JSON.stringify(referral),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() };
}

it('serves commands with a CLI token, survives SIGKILL without losing an acknowledged write, and stops on SIGTERM', async () => {
  const first = start();
  port = await first.ready;
  expect(first.output()).toContain('Generated a development token secret');
  const token = execFileSync(process.execPath, [tokenCli, '--role', 'caseworker', '--sub', 'anna'], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir },
  })
    .toString()
    .trim();
  const created = await postReferral(token);
  expect(created.status).toBe(201);
  caseId = (created.body as { caseId: string }).caseId;

  first.child.kill('SIGKILL');
  await exited(first.child);
  // Everything it wrote has arrived once it closed: the loud line about the development sign-in.
  expect(first.output()).toMatch(/^WARNING: development sign-in is on/m);

  const second = start({ PORT: String(port) });
  await second.ready;
  const retried = await postReferral(token);
  expect(retried).toEqual({ status: 201, replayed: 'true', body: created.body });

  // Nest closes the app (HTTP server, then the store) and re-raises the signal.
  second.child.kill('SIGTERM');
  expect(GRACEFUL_STOPS).toContainEqual(await exited(second.child));
  expect(second.output()).toContain('event store closed');
}, 60_000);

const mint = (role: string, sub: string): string =>
  execFileSync(process.execPath, [tokenCli, '--role', role, '--sub', sub], { env: { PATH: process.env.PATH, DATA_DIR: dataDir } })
    .toString()
    .trim();

it('mints tokens for at most 12 hours (the API refuses longer ones), 8 hours unless asked', () => {
  const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iat: number; exp: number };
  const lifetime = (args: string[]) => {
    const { iat, exp } = claims(
      execFileSync(process.execPath, [tokenCli, '--role', 'caseworker', '--sub', 'anna', ...args], {
        env: { PATH: process.env.PATH, DATA_DIR: dataDir },
      })
        .toString()
        .trim(),
    );
    return exp - iat;
  };
  expect([lifetime([]), lifetime(['--expires-in', '12h']), lifetime(['--expires-in', '30m'])]).toEqual([8 * 3600, 12 * 3600, 1800]);
  for (const refused of ['13h', '721m', '1d', '100y', '0m', 'forever']) {
    let failure = '';
    try {
      execFileSync(process.execPath, [tokenCli, '--role', 'caseworker', '--sub', 'anna', '--expires-in', refused], {
        env: { PATH: process.env.PATH, DATA_DIR: dataDir },
        stdio: 'pipe',
      });
    } catch (error) {
      failure = String((error as { stderr: Buffer }).stderr);
    }
    expect({ refused, failure }).toEqual({ refused, failure: expect.stringContaining('--expires-in must be like 30m or 8h, at most 12h') });
  }
});

it('mints no token for admin together with a case role (separation of duties)', () => {
  let failure = '';
  try {
    execFileSync(process.execPath, [tokenCli, '--role', 'admin', 'caseworker', '--sub', 'anna'], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir },
      stdio: 'pipe',
    });
  } catch (error) {
    failure = String((error as { stderr: Buffer }).stderr);
  }
  expect(failure).toContain('--role admin cannot be combined with caseworker or fachstelle');
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('runs the projections on a thread of their own: the case reaches the read model and the operations endpoint reports them running', async () => {
  expect(caseId).not.toBe('');
  const api = start();
  port = await api.ready;
  const get = async (path: string, token: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  type Status = { status: string; lastError: unknown };
  const list = (body: unknown): Status[] => (Array.isArray(body) ? (body as Status[]) : []);
  const admin = mint('admin', 'ops');
  const statuses = await eventually(
    () => get('/api/admin/projections', admin),
    (a) => a.status === 200 && list(a.body).every((p) => p.status === 'running'),
  );
  expect(statuses.status).toBe(200);
  expect(list(statuses.body).length).toBeGreaterThan(0);
  expect(list(statuses.body).map((p) => [p.status, p.lastError])).toEqual(list(statuses.body).map(() => ['running', null]));
  const found = await eventually(
    () => get(`/api/cases/${caseId}`, mint('caseworker', 'anna')),
    (a) => a.status === 200,
  );
  expect(found.status).toBe(200);

  api.child.kill('SIGTERM');
  expect(GRACEFUL_STOPS).toContainEqual(await exited(api.child));
  expect(api.output()).toContain('event store closed');
}, 60_000);

/** The first address of this machine that is not loopback, if it has one. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

(externalAddress ? it : it.skip)(
  'listens on loopback only unless HOST says otherwise',
  async () => {
    const api = start();
    const apiPort = await api.ready;
    expect((await fetch(`http://127.0.0.1:${apiPort}/health`)).status).toBe(200);
    await expect(fetch(`http://${externalAddress}:${apiPort}/health`)).rejects.toThrow();
    api.child.kill('SIGTERM');
    await exited(api.child);

    const open = start({ HOST: '0.0.0.0' });
    const openPort = await open.ready;
    expect((await fetch(`http://${externalAddress}:${openPort}/health`)).status).toBe(200);
    open.child.kill('SIGTERM');
    await exited(open.child);
  },
  60_000,
);

it('refuses to start in production without an auth configuration, saying why', async () => {
  const child = start({ NODE_ENV: 'production' });
  await expect(child.ready).rejects.toThrow(/AUTH_OIDC_ISSUER or AUTH_JWT_SECRET/);
});
