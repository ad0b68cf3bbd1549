import { GENERATED_KEK_FILE, keyEncryptionKeyFromFile, LocalKeyWrapper, parseKeyEncryptionKey, type KeyWrapper } from '@wih/key-store';
import { join, resolve } from 'node:path';

/**
 * Where the key-encryption key (KEK) that wraps every data key comes from (decision 0009):
 * KEY_ENCRYPTION_KEY (base64 of 32 bytes) or KEY_ENCRYPTION_KEY_FILE (a file holding that); without
 * either, outside production, `key-encryption.key` in DATA_DIR, generated on first start.
 */
export type KeyEncryptionSettings =
  | { readonly source: 'environment'; readonly key: string }
  | { readonly source: 'file'; readonly file: string }
  | { readonly source: 'generated'; readonly file: string };

export class KeyEncryptionSettingsError extends Error {}

/** `production`: as the settings read NODE_ENV (`production` or `prod`, any case). */
export function keyEncryptionSettings(env: NodeJS.ProcessEnv, dataDir: string, production: boolean): KeyEncryptionSettings {
  const key = env.KEY_ENCRYPTION_KEY || undefined;
  const file = env.KEY_ENCRYPTION_KEY_FILE || undefined;
  if (key && file) throw new KeyEncryptionSettingsError('set KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_FILE, not both');
  if (key) {
    try {
      parseKeyEncryptionKey(key, 'KEY_ENCRYPTION_KEY');
    } catch (error) {
      throw new KeyEncryptionSettingsError((error as Error).message);
    }
    return { source: 'environment', key };
  }
  if (file) return { source: 'file', file: resolve(file) };
  // In production the KEK must not sit beside the data it protects, nor be made up on the spot.
  if (production) {
    throw new KeyEncryptionSettingsError(
      'NODE_ENV=production needs KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_FILE: the key-encryption key of the data keys, kept apart from the key store (docs/operations.md)',
    );
  }
  return { source: 'generated', file: join(dataDir, GENERATED_KEK_FILE) };
}

/** The wrapper of the configured KEK (reads or generates the file). A KMS adapter would be chosen here. */
export const keyWrapperOf = (settings: KeyEncryptionSettings): KeyWrapper =>
  settings.source === 'environment'
    ? new LocalKeyWrapper(parseKeyEncryptionKey(settings.key, 'KEY_ENCRYPTION_KEY'))
    : new LocalKeyWrapper(keyEncryptionKeyFromFile(settings.file, settings.source === 'generated'));
