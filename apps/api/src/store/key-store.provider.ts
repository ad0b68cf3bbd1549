import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { PersonalDataKeys } from '@wih/application';
import { KeyEncryptionKeyMismatchError, type KeyStore } from '@wih/key-store';
import { openKeyStore, type Settings } from '@wih/runtime';
import { SETTINGS } from '../app/tokens';

export const KEY_STORE = Symbol('KEY_STORE');

/**
 * The key store, checked before the API serves: keys wrapped under another key-encryption key
 * stop the start with the reason. Any other failure (the server is down) leaves the start to go
 * on: the API then answers 503 until the store is back, as before.
 */
export const keyStoreProvider: Provider = {
  provide: KEY_STORE,
  inject: [SETTINGS],
  useFactory: async (settings: Settings) => {
    const store = openKeyStore(settings);
    try {
      await store.ready();
    } catch (error) {
      if (error instanceof KeyEncryptionKeyMismatchError) {
        await store.close();
        throw error;
      }
    }
    return store;
  },
};

/** One cache of data keys per process: destroying through it forgets the key here at once. */
export const personalDataKeysProvider: Provider = {
  provide: PersonalDataKeys,
  inject: [KEY_STORE],
  useFactory: (store: KeyStore) => new PersonalDataKeys(store),
};

@Injectable()
export class KeyStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(KEY_STORE) private readonly store: KeyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
