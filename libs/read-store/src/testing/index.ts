export { readStoreContract, type OpenedStore } from './contract';
export * from './fixtures';
