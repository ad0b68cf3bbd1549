import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsError } from '@wih/runtime';

export const SECRET_FILE = 'jwt-secret';
/** RFC 7518 3.2: an HS256 key of at least the hash's size (256 bits); shorter ones can be guessed offline from any token. */
export const MIN_SECRET_BYTES = 32;

const checkStrength = (secret: string, where: string): string => {
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new SettingsError(`${where} must be at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 32)`);
  }
  return secret;
};

/**
 * The HS256 secret of the embedded default: AUTH_JWT_SECRET, or a random secret generated into
 * the data directory on first start (readable by its owner only), so that tokens minted with
 * `npm run token` keep working across restarts. A secret that is too short, an empty file (a
 * crash during the first start) or a file others may read is refused, never used.
 */
export function resolveJwtSecret(dataDir: string, configured?: string): { secret: string; generated: boolean } {
  if (configured) return { secret: checkStrength(configured, 'AUTH_JWT_SECRET'), generated: false };
  const file = join(dataDir, SECRET_FILE);
  const existing = readSecretFile(file);
  if (existing !== undefined) return { secret: existing, generated: false };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  return writeSecretFile(dataDir, file, secret)
    ? { secret, generated: true }
    : { secret: readSecretFile(file) as string, generated: false };
}

function readSecretFile(file: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // Whoever can read the secret can mint tokens with any role.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new SettingsError(
      `${file} may be read by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it, or delete it to have a new one generated`,
    );
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret === '')
    throw new SettingsError(`${file} is empty: delete it to have a new one generated (tokens minted before become invalid)`);
  return checkStrength(secret, file);
}

/**
 * Writes the secret whole or not at all: into a file of its own (mode 0600, synced), then linked to
 * its name, which fails if another process (the token CLI) was quicker. Answers whether ours won.
 */
function writeSecretFile(dataDir: string, file: string, secret: string): boolean {
  const temporary = join(dataDir, `.${SECRET_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, file);
    syncDirectory(dataDir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** The new name survives a power cut only once the directory is synced (not possible on Windows). */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
