/**
 * The stream categories, named once: a stream is `<category>-<id>`. Each aggregate writes its own
 * category; the projections and the evaluation read the case category.
 */
export const CASE_CATEGORY = 'case';
export const HOUSEHOLD_CATEGORY = 'household';
