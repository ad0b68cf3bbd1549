import type { CalendarDate, CaseEvent } from '@wih/domain';

/** A case event without its personal part: only `type` and `data` survive, per union member. */
type Stripped<E extends CaseEvent> = E extends CaseEvent ? { readonly type: E['type']; readonly data: E['data'] } : never;

/**
 * What evaluation reads: the non-personal data of a case event plus where and when it was
 * recorded. There is deliberately no field for personal data, so statistics cannot depend on it
 * and keep counting after an erasure.
 */
export type EvaluationEvent = Stripped<CaseEvent> & {
  readonly caseId: string;
  /** ISO instant the event was recorded (system clock): what `asOf` filters on. */
  readonly recordedAt: string;
  readonly businessDate: CalendarDate;
};
