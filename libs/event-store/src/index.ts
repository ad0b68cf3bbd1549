export * from './lib/port';
export * from './lib/errors';
export * from './lib/streams';
export { ForwardingEventStore } from './lib/forwarding';
export { SqliteEventStore, openSqliteEventStore, type SqliteEventStoreOptions } from './lib/sqlite/sqlite-event-store';
export type { Durability } from './lib/sqlite/sqlite-schema';
export { EsdbEventStore } from './lib/esdb/esdb-event-store';
