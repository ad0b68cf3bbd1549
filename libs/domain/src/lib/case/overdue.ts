import { addDays, type CalendarDate } from '../dates';

/** Rule 7: the next visit is due `interval` days after the last visit, or after approval before any. */
export const nextVisitDueOn = (approvedOn: CalendarDate, lastVisitOn: CalendarDate | null, intervalDays: number): CalendarDate =>
  addDays(lastVisitOn && lastVisitOn > approvedOn ? lastVisitOn : approvedOn, intervalDays);

/** Rule 7: overdue when today is later than the due date. */
export const isVisitOverdue = (dueOn: CalendarDate, today: CalendarDate): boolean => today > dueOn;
