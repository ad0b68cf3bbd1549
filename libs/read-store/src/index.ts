export * from './lib/port';
export * from './lib/errors';
export { storageNameOf } from './lib/collections';
export { SqliteReadStore, openSqliteReadStore, type SqliteReadStoreOptions } from './lib/sqlite/sqlite-read-store';
export { MongoReadStore, type MongoReadStoreOptions } from './lib/mongo/mongo-read-store';
export type { CommitStep } from './lib/mongo/mongo-commit';
