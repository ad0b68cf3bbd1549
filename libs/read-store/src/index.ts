export * from './lib/port';
export * from './lib/errors';
export { SqliteReadStore, openSqliteReadStore } from './lib/sqlite/sqlite-read-store';
export { MongoReadStore } from './lib/mongo/mongo-read-store';
