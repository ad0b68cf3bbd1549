/** `If-Match` named a revision that is no longer current (HTTP 412 `stale-revision`). */
export class StaleRevisionError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`expected revision ${expected}, but the case is at revision ${actual}`);
    this.name = 'StaleRevisionError';
  }
}

/** An Idempotency-Key came back with a different request (HTTP 422 `idempotency-key-reused`). */
export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('this Idempotency-Key was used for a different request');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** Concurrent writers kept winning for longer than the retry budget (HTTP 503, retry later). */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly stream: string,
    readonly attempts: number,
  ) {
    super(`${stream}: still conflicting after ${attempts} attempts`);
    this.name = 'RetriesExhaustedError';
  }
}

/**
 * A report text names a household (HTTP 422 `personal-data-in-text`). `matches` are passages of the
 * submitted text, for the writer's answer only: never logged, never in the message.
 */
export class PersonalDataInTextError extends Error {
  constructor(readonly matches: readonly string[]) {
    super('the text names a household (a name or an address); remove the marked passages');
    this.name = 'PersonalDataInTextError';
  }
}
