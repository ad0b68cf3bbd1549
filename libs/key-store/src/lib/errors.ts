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

/** Key ids are opaque but bounded: they key a table and appear in log lines. */
export const assertKeyId = (keyId: string): void => {
  if (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > 200) {
    throw new RangeError('a key id is a non-empty string of at most 200 characters');
  }
};

/** Household ids are bounded like key ids, without `#` (which separates a key id's generation). */
export const assertHouseholdId = (householdId: string): void => {
  if (typeof householdId !== 'string' || householdId.length === 0 || householdId.length > 190 || householdId.includes('#')) {
    throw new RangeError('a household id is a non-empty string of at most 190 characters, without "#"');
  }
};

/** Why the key store's server refused an operation (KeyStoreRefusedError). */
export type KeyStoreRefusal = 'authentication' | 'authorisation' | 'index-conflict' | 'unsupported' | 'refused';

/**
 * The key store's server answered, but refused the operation for a reason a retry does not fix
 * (credentials, privileges, a conflicting index, a command it lacks): an operator must act. Not
 * KeyStoreUnavailableError, whose 503 tells clients to retry. The message names the cause; the
 * server's own error is the `cause` (its text is not repeated: it may quote stored documents).
 */
export class KeyStoreRefusedError extends Error {
  constructor(
    readonly reason: KeyStoreRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KeyStoreRefusedError';
  }
}
