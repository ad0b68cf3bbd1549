export * from './lib/port';
export * from './lib/errors';
export * from './lib/streams';
