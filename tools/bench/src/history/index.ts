export { generateHistory, staffFor, type HistoryCounts, type HistoryOptions } from './generate';
export { SURNAMES } from './people';
