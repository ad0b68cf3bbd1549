import { Inject, Injectable, Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { EventStore } from '@wih/event-store';
import { openEventStore, type Settings } from '@wih/runtime';
import { SETTINGS } from '../app/tokens';

export const EVENT_STORE = Symbol('EVENT_STORE');
export const InjectEventStore = () => Inject(EVENT_STORE);

/** WAL checkpoints run in a worker thread: no request waits for one (docs/decisions/0016). */
export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [SETTINGS],
  useFactory: (settings: Settings) => openEventStore(settings, { checkpoints: 'background' }),
};

/** Closes the store last, after the HTTP server stopped taking requests (graceful shutdown). */
@Injectable()
export class EventStoreLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('EventStore');
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.store.close();
    this.logger.log(`event store closed${signal ? ` (${signal})` : ''}`);
  }
}
