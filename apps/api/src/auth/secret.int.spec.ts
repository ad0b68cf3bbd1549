import { SettingsError } from '@wih/runtime';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveJwtSecret, SECRET_FILE } from './secret';

describe('resolveJwtSecret: the HS256 secret of the embedded default', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'wih-secret-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const file = () => join(dataDir, SECRET_FILE);

  it('generates 32 random bytes on first start, readable by its owner only, and nothing else in the directory', () => {
    const first = resolveJwtSecret(dataDir);
    expect(first.generated).toBe(true);
    expect(Buffer.from(first.secret, 'base64url')).toHaveLength(32);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual([SECRET_FILE]);
    expect(resolveJwtSecret(dataDir)).toEqual({ secret: first.secret, generated: false });
  });

  it('takes a configured secret of at least 32 bytes', () => {
    expect(resolveJwtSecret(dataDir, 'k'.repeat(32))).toEqual({ secret: 'k'.repeat(32), generated: false });
  });

  it.each([
    ['one character', 'x'],
    ['31 bytes', 'x'.repeat(31)],
  ])('refuses a configured secret of %s', (_label, secret) => {
    expect(() => resolveJwtSecret(dataDir, secret)).toThrow(SettingsError);
    expect(() => resolveJwtSecret(dataDir, secret)).toThrow(/at least 32 bytes/);
  });

  it.each([
    ['empty (a crash during the first start)', '', /is empty/],
    ['only a newline', '\n', /is empty/],
    ['too short', 'short\n', /at least 32 bytes/],
  ])('refuses a secret file that is %s instead of using it', (_label, content, message) => {
    writeFileSync(file(), content, { mode: 0o600 });
    expect(() => resolveJwtSecret(dataDir)).toThrow(message);
    expect(readFileSync(file(), 'utf8')).toBe(content);
  });

  it.each([0o640, 0o604, 0o644, 0o660])('refuses a secret file others may read (mode %o)', (mode) => {
    writeFileSync(file(), `${'s'.repeat(43)}\n`);
    chmodSync(file(), mode);
    expect(() => resolveJwtSecret(dataDir)).toThrow(/may be read by others/);
  });

  it('reads the secret an earlier start wrote', () => {
    writeFileSync(file(), `${'o'.repeat(43)}\n`, { mode: 0o600 });
    expect(resolveJwtSecret(dataDir)).toEqual({ secret: 'o'.repeat(43), generated: false });
  });
});
