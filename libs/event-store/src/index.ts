export * from './lib/port';
export * from './lib/errors';
export * from './lib/streams';
export { ForwardingEventStore } from './lib/forwarding';
export { SqliteEventStore, openSqliteEventStore, type SqliteEventStoreOptions } from './lib/sqlite/sqlite-event-store';
export type { Durability } from './lib/sqlite/sqlite-schema';
export { CHECKPOINT_CHANNEL, COMMIT_CHANNEL, type StoreTiming } from './lib/sqlite/diagnostics';
export { EsdbEventStore } from './lib/esdb/esdb-event-store';
export { preparePrivateFile, readOrCreatePrivateFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './lib/files/private-files';
