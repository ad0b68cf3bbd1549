import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { MongoReadStore, openSqliteReadStore, type ReadStore } from '@wih/read-store';
import type { Settings } from '../app/settings';
import { SETTINGS } from '../app/tokens';

export const READ_STORE = Symbol('READ_STORE');
export const InjectReadStore = () => Inject(READ_STORE);

/** READ_STORE selects the adapter: the embedded SQLite file (default) or MongoDB. */
export const readStoreProvider: Provider = {
  provide: READ_STORE,
  inject: [SETTINGS],
  useFactory: (settings: Settings): ReadStore =>
    settings.readStore === 'mongodb' && settings.mongoUrl ? new MongoReadStore(settings.mongoUrl) : openSqliteReadStore(settings.dataDir),
};

@Injectable()
export class ReadStoreLifecycle implements OnApplicationShutdown {
  constructor(@InjectReadStore() private readonly store: ReadStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
