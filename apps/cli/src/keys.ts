import { LocalKeyWrapper, keyEncryptionKeyFromFile } from '@wih/key-store';
import { loadSettings, openKeyStore } from '@wih/runtime';
import type { Command } from 'commander';

interface RewrapOptions {
  newKeyFile: string;
}

/**
 * `keys rewrap --new-key-file <file>`: rotates the key-encryption key. Every data key is unwrapped
 * with the configured KEK and wrapped with the new one; keys already under it are left, so an
 * interrupted run is simply run again. Afterwards point KEY_ENCRYPTION_KEY(_FILE) at the new key.
 */
export function keysCommands(program: Command, write: (text: string) => void): void {
  const keys = program.command('keys').description('the data keys of personal data');
  keys
    .command('rewrap')
    .description('wrap every data key with a new key-encryption key (rotation; stop the API and projector first)')
    .requiredOption('--new-key-file <file>', 'the new key-encryption key: 32 random bytes in base64 (openssl rand -base64 32)')
    .action(async (options: RewrapOptions) => {
      const to = new LocalKeyWrapper(keyEncryptionKeyFromFile(options.newKeyFile, false));
      const store = openKeyStore(loadSettings());
      try {
        const report = await store.rewrap(to);
        write(
          `${report.rewrapped} key(s) re-wrapped, ${report.already} already under ${to.id}; now set KEY_ENCRYPTION_KEY_FILE=${options.newKeyFile} (or KEY_ENCRYPTION_KEY) and start the services\n`,
        );
      } finally {
        await store.close();
      }
    });
}
