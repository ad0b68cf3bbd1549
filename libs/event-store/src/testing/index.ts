export { eventStoreContract, type OpenedStore } from './contract';
export * from './fixtures';
