import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { ReadStore } from '@wih/read-store';
import { openReadStore, type Settings } from '@wih/runtime';
import { SETTINGS } from '../app/tokens';

export const READ_STORE = Symbol('READ_STORE');
export const InjectReadStore = () => Inject(READ_STORE);

export const readStoreProvider: Provider = {
  provide: READ_STORE,
  inject: [SETTINGS],
  useFactory: (settings: Settings) => openReadStore(settings),
};

@Injectable()
export class ReadStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
