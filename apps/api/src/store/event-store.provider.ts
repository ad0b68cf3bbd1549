import { Inject, Injectable, Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { EsdbEventStore, openSqliteEventStore, type EventStore } from '@wih/event-store';
import { SETTINGS } from '../app/tokens';
import type { Settings } from '../app/settings';

export const EVENT_STORE = Symbol('EVENT_STORE');
export const InjectEventStore = () => Inject(EVENT_STORE);

/** EVENT_STORE selects the adapter: the embedded SQLite file (default) or EventStoreDB. */
export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [SETTINGS],
  useFactory: (settings: Settings): EventStore =>
    settings.eventStore === 'eventstoredb' && settings.esdbUrl
      ? new EsdbEventStore(settings.esdbUrl)
      : openSqliteEventStore(settings.dataDir),
};

/** Closes the store last, after the HTTP server stopped taking requests (graceful shutdown). */
@Injectable()
export class EventStoreLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('EventStore');
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.store.close();
    this.logger.log(`event store closed${signal ? ` (${signal})` : ''}`);
  }
}
