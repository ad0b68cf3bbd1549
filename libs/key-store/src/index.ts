export * from './lib/port';
export * from './lib/errors';
export { SqliteKeyStore, openSqliteKeyStore, KEY_STORE_FILE, type SqliteKeyStoreOptions } from './lib/sqlite/sqlite-key-store';
export { mergeKeyFile, type KeyFileMerge } from './lib/sqlite/merge-key-files';
export { MongoKeyStore, type MongoKeyStoreOptions } from './lib/mongo/mongo-key-store';
export * from './lib/wrapping';
