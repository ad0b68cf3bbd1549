export * from './lib/port';
export { MAX_PAGE, assertEntry } from './lib/validation';
export { SqliteAccessLog, openSqliteAccessLog, type SqliteAccessLogOptions } from './lib/sqlite/sqlite-access-log';
export { MongoAccessLog, ACCESS_LOG_COLLECTION } from './lib/mongo/mongo-access-log';
export { toAccessCsv, ACCESS_CSV_HEADER } from './lib/csv';
