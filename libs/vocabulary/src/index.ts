/**
 * The constants both sides of the HTTP API check against: the server decides with them, the web
 * UI checks its forms with them before sending. Plain values only (no functions, no imports), so
 * the browser bundle takes nothing of the server side with them.
 */

/** Rule 2: visit interval bounds and default, in days. */
export const VISIT_INTERVAL = { min: 7, max: 90, default: 28 } as const;
/**
 * Rule 2: planned end at most 12 months after approval; extensions 12 months each, 24 in all
 * (measured from the planned end set at approval); help at most 36 months after approval.
 */
export const HELP_PERIOD_MONTHS = { initial: 12, perExtension: 12, extensionsInAll: 24, fromApproval: 36 } as const;

/**
 * The help plan (decision 0023): 1–20 goals per plan, each goal's wording 1–500 characters (the
 * wording is personal data: it says what the household struggles with).
 */
export const HELP_PLAN = { minGoals: 1, maxGoals: 20, wordingMaxLength: 500 } as const;

/** User ids are the `sub` of the identity provider: opaque, no spaces. */
export const USER_ID = /^[A-Za-z0-9._@:-]{1,128}$/;

/**
 * An activity beyond single cases: hours in quarter hours, more than 0 and at most a day; a whole
 * number of participants up to 10 000 (a citywide event, not a typing slip of a zero too many).
 */
export const ACTIVITY_LIMITS = { hoursMax: 24, hoursStep: 0.25, participantsMax: 10_000 } as const;

/**
 * Rule 6, first half: which roles may issue each case command. The domain decides with it (its
 * COMMAND_ROLES is this table, checked against its command union); the web offers an action only
 * to these roles.
 */
export const CASE_COMMAND_ROLES = {
  ReceiveReferral: ['caseworker', 'fachstelle'],
  ApproveReferral: ['fachstelle'],
  RejectReferral: ['fachstelle'],
  RecordHomeVisit: ['caseworker'],
  RecordMediation: ['caseworker'],
  RecordHousingSecured: ['caseworker'],
  ExtendHelpPeriod: ['fachstelle'],
  ReassignCaseworker: ['fachstelle'],
  CloseCase: ['caseworker', 'fachstelle'],
  AgreeHelpPlan: ['caseworker'],
  ReviewGoal: ['caseworker'],
  ChangeHouseholdDetails: ['caseworker', 'fachstelle'],
  RestrictProcessing: ['fachstelle'],
  LiftRestriction: ['fachstelle'],
  ErasePersonalData: ['admin'],
} as const satisfies Readonly<Record<string, readonly ('caseworker' | 'fachstelle' | 'admin')[]>>;
export type CaseCommandName = keyof typeof CASE_COMMAND_ROLES;
