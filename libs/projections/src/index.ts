export * from './lib/projection';
