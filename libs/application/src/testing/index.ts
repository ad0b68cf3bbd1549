export * from './history';
export * from './history-keys';
