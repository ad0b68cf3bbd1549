import { EsdbEventStore, openSqliteEventStore, type EventStore, type SqliteEventStoreOptions } from '@wih/event-store';
import { MongoReadStore, openSqliteReadStore, type ReadStore } from '@wih/read-store';
import type { Settings } from './settings';

/**
 * EVENT_STORE selects the adapter: the embedded SQLite file (default) or EventStoreDB. `embedded`
 * applies to the SQLite file only (the API checkpoints it in the background).
 */
export const openEventStore = (settings: Settings, embedded?: SqliteEventStoreOptions): EventStore =>
  settings.eventStore === 'eventstoredb' && settings.esdbUrl ? new EsdbEventStore(settings.esdbUrl) : openSqliteEventStore(settings.dataDir, embedded);

/** READ_STORE selects the adapter: the embedded SQLite file (default) or MongoDB. */
export const openReadStore = (settings: Settings): ReadStore =>
  settings.readStore === 'mongodb' && settings.mongoUrl ? new MongoReadStore(settings.mongoUrl) : openSqliteReadStore(settings.dataDir);
