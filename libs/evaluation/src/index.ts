export type { EvaluationEvent } from './lib/evaluation-event';
export * from './lib/facts';
export * from './lib/activities/activities';
export * from './lib/raw';
export * from './lib/metric';
export { METRICS, type BlockName, type RawBlocks } from './lib/metrics/registry';
export { REPEAT_WINDOWS, repeatedWithin, type RepeatWindow, type RepeatWindowFigures } from './lib/metrics/repeat-cases';
export * from './lib/statistics';
export * from './lib/anonymise';
export * from './lib/case-export';
export { annualReport, calendarYear, reportDueOn, windowCompleteOn, type AnnualReport } from './lib/report/annual-report';
export {
  periodicReport,
  comparisonPeriod,
  calendarYearOf,
  calendarQuarterOf,
  MAX_REPORT_DAYS,
  type PeriodicReport,
} from './lib/report/periodic-report';
export { renderAnnualReportHtml } from './lib/report/html';
export { renderAnnualReportPdf, renderPdfDocument } from './lib/report/pdf';
export { formatDateDe, formatInstantDe } from './lib/report/format';
export { REPORT_SECTION_HEADINGS_DE, type PublishedAnnualReport, type ReportText } from './lib/report/report-text';
export { renderAnnualReportCsv, renderCaseExportCsv, CASE_EXPORT_COLUMNS, type CsvOptions } from './lib/report/csv';
export { escapeHtml } from './lib/report/markup';
export { reportRows, type ReportRow } from './lib/report/rows';
export type { ReportLabels, VocabularyLabels, CodeLabels } from './lib/report/labels';
export { LABELS_DE } from './lib/report/labels.de';
