export * from './lib/port';
export * from './lib/errors';
