import type { components } from './schema';

/** Names for the answers the UI shows: each is the generated schema of the OpenAPI document, nothing written by hand. */
type Schemas = components['schemas'];
export type Problem = Schemas['ProblemDto'];
export type CommandAnswer = Schemas['CommandAnswerDto'];
export type CaseDetail = Schemas['CaseDetail'];
export type CaseStatus = Schemas['CaseDetail']['status'];
export type Household = Schemas['Household'];
export type Timeline = Schemas['Timeline'];
export type TimelineItem = Schemas['Timeline']['items'][number];
export type CaseloadItem = Schemas['CaseloadItem'];
export type CaseloadPage = Schemas['CaseloadPage'];
export type Count = Schemas['Count'];
export type Figures = Schemas['Figures'];
export type Statistics = Schemas['Statistics'];
export type ProjectionStatus = Schemas['ProjectionStatus'];
export type Rebuild = Schemas['Rebuild'];
export type ParkedEvent = Schemas['ParkedEvent'];
export type UiConfig = Schemas['UiConfig'];
export type HelpPlan = NonNullable<Schemas['CaseDetail']['helpPlan']>;
export type PlanGoal = HelpPlan['goals'][number];
export type ActivityList = Schemas['ActivityList'];
export type ActivityItem = Schemas['ActivityList']['items'][number];
export type ActivityAnswer = Schemas['ActivityAnswerDto'];
export type RestrictionAnswer = Schemas['RestrictionAnswerDto'];
/** Request bodies a form builds in more than one step (the visit and its goal reviews). */
export type VisitBody = Schemas['VisitDto'];
export type GoalReviewBody = Schemas['GoalReviewDto'];
