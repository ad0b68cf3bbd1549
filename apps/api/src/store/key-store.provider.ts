import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { PersonalDataKeys } from '@wih/application';
import type { KeyStore } from '@wih/key-store';
import { openKeyStore, type Settings } from '@wih/runtime';
import { SETTINGS } from '../app/tokens';

export const KEY_STORE = Symbol('KEY_STORE');

export const keyStoreProvider: Provider = { provide: KEY_STORE, inject: [SETTINGS], useFactory: (settings: Settings) => openKeyStore(settings) };

/** One cache of data keys per process: destroying through it forgets the key here at once. */
export const personalDataKeysProvider: Provider = {
  provide: PersonalDataKeys, inject: [KEY_STORE], useFactory: (store: KeyStore) => new PersonalDataKeys(store),
};

@Injectable()
export class KeyStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(KEY_STORE) private readonly store: KeyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
