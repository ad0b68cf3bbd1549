/**
 * The stream categories, named once: a stream is `<category>-<id>`. Each aggregate writes its own
 * category; the projections and the evaluation read the case and the activity categories.
 */
export const CASE_CATEGORY = 'case';
export const HOUSEHOLD_CATEGORY = 'household';
/** Activities beyond single cases: one stream per activity, no personal data. */
export const ACTIVITY_CATEGORY = 'activity';
