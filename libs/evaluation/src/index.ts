export type { EvaluationEvent } from './lib/evaluation-event';
export * from './lib/facts';
export * from './lib/raw';
export * from './lib/metric';
export { METRICS, type BlockName, type RawBlocks } from './lib/metrics/registry';
export { REPEAT_WINDOWS, repeatedWithin, type RepeatWindow, type RepeatWindowFigures } from './lib/metrics/repeat-cases';
export * from './lib/statistics';
export * from './lib/anonymise';
export * from './lib/case-export';
