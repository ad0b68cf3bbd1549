import { KeyEncryptionKeyMismatchError, LocalKeyWrapper, openSqliteKeyStore } from '@wih/key-store';
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keysCommands } from './keys';

describe('cli keys rewrap', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wih-cli-keys-'));
    process.env = { ...saved, DATA_DIR: dir };
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]): Promise<string> => {
    let out = '';
    const program = new Command('wih').exitOverride();
    keysCommands(program, (text) => (out += text));
    await program.parseAsync(['keys', 'rewrap', ...args], { from: 'user' });
    return out;
  };

  it('wraps every data key under the new key-encryption key; the old one no longer opens the store', async () => {
    const [oldKek, newKek] = [randomBytes(32), randomBytes(32)];
    const [oldFile, newFile] = [join(dir, 'old.key'), join(dir, 'new.key')];
    writeFileSync(oldFile, oldKek.toString('base64'));
    writeFileSync(newFile, `${newKek.toString('base64')}\n`);
    const before = openSqliteKeyStore(dir, { wrapper: new LocalKeyWrapper(oldKek) });
    const { key } = await before.getOrCreate('hh-1', '2026-01-01T00:00:00.000Z');
    await before.close();
    process.env.KEY_ENCRYPTION_KEY_FILE = oldFile;
    expect(await run('--new-key-file', newFile)).toMatch(
      /^1 key\(s\) re-wrapped, 0 already under local:[0-9a-f]{16}; now set KEY_ENCRYPTION_KEY_FILE=/,
    );
    expect(await run('--new-key-file', newFile)).toMatch(/^0 key\(s\) re-wrapped, 1 already under/);
    const after = openSqliteKeyStore(dir, { wrapper: new LocalKeyWrapper(newKek) });
    expect(await after.get('hh-1')).toMatchObject({ status: 'active', key });
    await after.close();
    const stale = openSqliteKeyStore(dir, { wrapper: new LocalKeyWrapper(oldKek) });
    await expect(stale.get('hh-1')).rejects.toBeInstanceOf(KeyEncryptionKeyMismatchError);
    await stale.close();
  });

  it('refuses a new key file that holds no key, changing nothing', async () => {
    const bad = join(dir, 'bad.key');
    writeFileSync(bad, 'short');
    await expect(run('--new-key-file', bad)).rejects.toThrow(/32 random bytes in base64/);
    await expect(run('--new-key-file', join(dir, 'missing.key'))).rejects.toThrow(/does not exist/);
  });
});
