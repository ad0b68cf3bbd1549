export * from './lib/settings';
export * from './lib/stores';
export * from './lib/projections';
export * from './lib/rebuild-workers';
export * from './lib/key-encryption';
export * from './lib/background-priority';
