/** The stored checkpoint moved since the writer read it: another writer applied these events. */
export class CheckpointConflictError extends Error {
  constructor(
    readonly checkpoint: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`checkpoint ${checkpoint}: expected ${expected}, stored ${actual}`);
    this.name = 'CheckpointConflictError';
  }
}

/** The read store did not answer. Maps to HTTP 503. */
export class ReadStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadStoreUnavailableError';
  }
}
