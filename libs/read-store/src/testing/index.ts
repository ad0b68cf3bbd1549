export { readStoreContract, type OpenedStore } from './contract';
export * from './fixtures';
export { sqliteIndexesOf, type SqliteIndexReport } from './sqlite-inspect';
