/**
 * The stream categories, named once: a stream is `<category>-<id>`. Each aggregate writes its own
 * category; the projections and the evaluation read the case and the activity categories. The part
 * before the first '-' is the category, so a category has no '-' of its own: the annual report's
 * streams are `report-<year>`.
 */
export const CASE_CATEGORY = 'case';
export const HOUSEHOLD_CATEGORY = 'household';
export const REPORT_CATEGORY = 'report';
/** Activities beyond single cases: one stream per activity, no personal data. */
export const ACTIVITY_CATEGORY = 'activity';
