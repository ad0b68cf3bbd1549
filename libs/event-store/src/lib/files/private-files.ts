import {
  chmodSync,
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * DATA_DIR holds personal data, the data keys and secrets: for the service's own user only. Its
 * directory is 0700 and its files 0600, whatever the process's umask.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Narrows a mode that lets group or others in; a file owned by someone else is left (chmod would fail). */
const restrict = (path: string, mode: number): void => {
  const stat = statSync(path);
  if ((stat.mode & 0o077) === 0 || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) return;
  chmodSync(path, mode);
};

/**
 * Makes `file` (a SQLite database, or a lock file opened as one) exist as 0600 in a 0700
 * directory before SQLite opens it: SQLite creates its `-wal`, `-shm` and `-journal` files with
 * the database file's mode (the commit watch its `-wakeup` file 0600 itself). Files left by earlier
 * versions (0644) are narrowed too.
 */
export function preparePrivateFile(file: string): void {
  if (file === ':memory:' || file === '') return;
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  restrict(dir, PRIVATE_DIR_MODE);
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`, `${file}-wakeup`])
    if (existsSync(path)) restrict(path, PRIVATE_FILE_MODE);
}

/**
 * The content of `file`, written first (0600) if it does not exist. Several processes or threads
 * may start at once: the content is written to a file of its own and linked into place, so a
 * reader never sees a half-written file and only one writer wins.
 */
export function readOrCreatePrivateFile(file: string, create: () => string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temporary, create(), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    try {
      linkSync(temporary, file);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
  }
  restrict(file, PRIVATE_FILE_MODE);
  return readFileSync(file, 'utf8');
}
