export * from './lib/projection';
export * from './lib/cases.projection';
export * from './lib/case-views';
export * from './lib/agenda';
export * from './lib/timeline.projection';
export * from './lib/activities.projection';
export * from './lib/all';
export { ERASED, searchKey, type Erased, type HouseholdView } from './lib/personal';
