export * from './lib/codec';
export * from './lib/errors';
export * from './lib/idempotency';
export * from './lib/case-commands';
export * from './lib/receive-referral';
