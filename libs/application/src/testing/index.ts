export * from './history';
export * from './history-keys';
export * from './child-processes';
