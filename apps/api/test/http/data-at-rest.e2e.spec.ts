import { KeyEncryptionKeyMismatchError, type KeyStore } from '@wih/key-store';
import { loadSettings, type Settings } from '@wih/runtime';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app/create-app';
import { KEY_STORE, keyStoreProvider } from '../../src/store/key-store.provider';
import { activeCase, SECRET, TestApi } from './harness';
import { checkAnswersAgainstDocument } from './contract';
import { eventually } from './read-side';

/**
 * DATA_DIR as another local user or a thief of its files sees it: nothing readable for others,
 * and the key store's file alone opens nothing (its data keys are wrapped with the key-encryption key).
 */
describe('data at rest in DATA_DIR', () => {
  let parent: string;
  let umask: number;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'wih-at-rest-'));
    umask = process.umask(0o022); // the usual umask: files would be 0644, directories 0755
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(parent, { recursive: true, force: true });
  });

  const modesIn = (dir: string): Record<string, string> =>
    Object.fromEntries(readdirSync(dir).map((file) => [file, (statSync(join(dir, file)).mode & 0o777).toString(8)]));

  it('is 0700 and every file in it 0600 (databases, WAL, shared memory, lease locks, generated secrets)', async () => {
    const dataDir = join(parent, 'data');
    // Without AUTH_JWT_SECRET and KEY_ENCRYPTION_KEY: the development default generates both into DATA_DIR.
    const { app } = await createApp(loadSettings({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }));
    await app.listen(0, '127.0.0.1');
    try {
      const files = () => readdirSync(dataDir);
      // The projection thread takes its leases (lock files) and writes the read models.
      await eventually(
        async () => files(),
        (list) => list.some((file) => file.endsWith('.lock')) && list.includes('read.sqlite-wal'),
      );
      expect(files()).toEqual(
        expect.arrayContaining(['events.sqlite', 'read.sqlite', 'keys.sqlite', 'access-log.sqlite', 'key-encryption.key']),
      );
      expect(files().some((file) => /secret/.test(file))).toBe(true);
      expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
      expect(Object.entries(modesIn(dataDir)).filter(([, mode]) => mode !== '600')).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('keeps the read store in READ_DIR when it is set, as private as DATA_DIR (decision 0052)', async () => {
    const dataDir = join(parent, 'data');
    const readDir = join(parent, 'other-disk', 'read');
    const { app } = await createApp(loadSettings({ DATA_DIR: dataDir, READ_DIR: readDir, PORT: '0', LOG_LEVEL: 'silent' }));
    await app.listen(0, '127.0.0.1');
    try {
      // The projection thread takes its leases (lock files) and writes the read models there.
      await eventually(
        async () => readdirSync(readDir),
        (list) => list.some((file) => file.endsWith('.lock')) && list.includes('read.sqlite-wal'),
      );
      expect(readdirSync(readDir)).toEqual(expect.arrayContaining(['read.sqlite', 'read.sqlite-wal']));
      expect(readdirSync(dataDir).filter((file) => file.startsWith('read.sqlite'))).toEqual([]);
      expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['events.sqlite', 'keys.sqlite', 'access-log.sqlite']));
      expect((statSync(readDir).mode & 0o777).toString(8)).toBe('700');
      expect(Object.entries(modesIn(readDir)).filter(([, mode]) => mode !== '600')).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('narrows a DATA_DIR an earlier version left readable for everyone', async () => {
    const first = checkAnswersAgainstDocument(await TestApi.start(join(parent, 'data')));
    await activeCase(first);
    await first.stop(false);
    const { chmodSync } = await import('node:fs');
    chmodSync(first.dataDir, 0o755);
    for (const file of readdirSync(first.dataDir)) chmodSync(join(first.dataDir, file), 0o644);
    const again = checkAnswersAgainstDocument(await TestApi.start(first.dataDir));
    try {
      await activeCase(again);
      expect((statSync(again.dataDir).mode & 0o777).toString(8)).toBe('700');
      expect(Object.entries(modesIn(again.dataDir)).filter(([, mode]) => mode !== '600')).toEqual([]);
    } finally {
      await again.stop();
    }
  });

  it('keeps no byte run of any data key in the key store files: they are wrapped with the key-encryption key', async () => {
    const api = checkAnswersAgainstDocument(await TestApi.start(join(parent, 'data')));
    try {
      const households = await Promise.all(Array.from({ length: 5 }, async () => (await activeCase(api)).householdId));
      const keys = [...(await api.app.get<KeyStore>(KEY_STORE).getMany(households)).values()].flatMap((key) =>
        key.status === 'active' ? [key.key] : [],
      );
      expect(keys).toHaveLength(5);
      const bytes = Buffer.concat(
        ['keys.sqlite', 'keys.sqlite-wal'].map((file) => {
          try {
            return readFileSync(join(api.dataDir, file));
          } catch {
            return Buffer.alloc(0);
          }
        }),
      );
      const pieces = (key: Buffer) => Array.from({ length: key.length - 7 }, (_, i) => key.subarray(i, i + 8));
      expect(keys.filter((key) => pieces(key).some((piece) => bytes.includes(piece)))).toEqual([]);
      // The generated KEK is a file of its own, not in the key store.
      const kek = Buffer.from(readFileSync(join(api.dataDir, 'key-encryption.key'), 'utf8').trim(), 'base64');
      expect(kek).toHaveLength(32);
      expect(bytes.includes(kek)).toBe(false);
    } finally {
      await api.stop();
    }
  });

  it('refuses to start under another key-encryption key than the keys were wrapped with, saying so', async () => {
    const dataDir = join(parent, 'data');
    const first = checkAnswersAgainstDocument(await TestApi.start(dataDir, { KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') }));
    await activeCase(first);
    await first.stop(false);
    // What the API builds its key store with at start (Nest ends the process when it throws).
    const factory = (keyStoreProvider as { useFactory: (settings: Settings) => Promise<KeyStore> }).useFactory;
    const wrong = loadSettings({ DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET, KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    const refused = factory(wrong);
    await expect(refused).rejects.toBeInstanceOf(KeyEncryptionKeyMismatchError);
    await expect(refused).rejects.toThrow(
      /wrapped with key-encryption key local:[0-9a-f]{16}, but the configured one is local:[0-9a-f]{16}: set KEY_ENCRYPTION_KEY/,
    );
  });
});
