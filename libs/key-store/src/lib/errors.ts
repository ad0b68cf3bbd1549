/** The household's key was destroyed (its personal data erased): nothing may be encrypted under it again. */
export class KeyDestroyedError extends Error {
  constructor(readonly householdId: string) {
    super(`the personal data of household ${householdId} was erased; its key is destroyed`);
    this.name = 'KeyDestroyedError';
  }
}

export class KeyStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyStoreUnavailableError';
  }
}

/** Household ids are opaque but bounded: they key a table and appear in log lines. */
export const assertHouseholdId = (householdId: string): void => {
  if (typeof householdId !== 'string' || householdId.length === 0 || householdId.length > 200) {
    throw new RangeError('a household id is a non-empty string of at most 200 characters');
  }
};
